/// What the registry knows about a backbone before its weights are read: name, weights file,
/// input geometry, preprocessing and output sizes.
public struct BackboneDescriptor: Sendable, Equatable {
    /// The architectures a descriptor can name.
    enum Architecture: Sendable, Equatable {
        case mobileNetV2
        case efficientNetLite
        case squeezeNet
    }

    /// The name used on the command line and in feature stores (e.g. `mobilenet_v2`).
    public let name: String
    /// The weights file's name inside the weights folder (as `scripts/setup` stores it).
    public let weightsFile: String
    /// The published sha256 of the weights file (as `scripts/setup` checks it); loading refuses
    /// a file with another digest.
    public let weightsSHA256: String
    /// The square input side in pixels.
    public let inputSize: Int
    /// How images must be prepared for this network.
    public let preprocessing: Preprocessing
    /// Length of the pooled feature vector.
    public let featureDimension: Int
    /// Number of ImageNet classes of the classifier head.
    public let classes: Int
    /// The layer layout.
    let architecture: Architecture
}

/// The backbones spotcheck ships, and where their weights live.
public enum BackboneRegistry {
    /// Every backbone, in the order `spotcheck models` lists them.
    public static let all: [BackboneDescriptor] = [
        BackboneDescriptor(name: "mobilenet_v2", weightsFile: "mobilenet_v2-b0353104.pth",
                           weightsSHA256: "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889", inputSize: 224,
                           preprocessing: .torchvision, featureDimension: 1280, classes: 1000,
                           architecture: .mobileNetV2),
        BackboneDescriptor(name: "efficientnet_lite0", weightsFile: "efficientnet-lite0-57934424.pth",
                           weightsSHA256: "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db", inputSize: 224,
                           preprocessing: .tensorflow(inputSize: 224), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "efficientnet_lite1", weightsFile: "efficientnet-lite1-77cc7160.pth",
                           weightsSHA256: "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850", inputSize: 240,
                           preprocessing: .tensorflow(inputSize: 240), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "efficientnet_lite2", weightsFile: "efficientnet-lite2-9656183e.pth",
                           weightsSHA256: "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d", inputSize: 260,
                           preprocessing: .tensorflow(inputSize: 260), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "squeezenet1_1", weightsFile: "squeezenet_weights.pkl",
                           weightsSHA256: "f286bbf493e6389979ed3036f960f4404e0079acdb92156500df0d4a43d085f1", inputSize: 227,
                           preprocessing: .caffe, featureDimension: 512, classes: 1000,
                           architecture: .squeezeNet),
    ]

    /// The names of every backbone.
    public static var names: [String] { all.map(\.name) }

    /// The descriptor called `name`.
    /// - Parameter name: a backbone name such as `efficientnet_lite0`.
    /// - Returns: its descriptor.
    /// - Throws: `BackboneError.unknownBackbone` listing the known names.
    public static func descriptor(named name: String) throws -> BackboneDescriptor {
        guard let found = all.first(where: { $0.name == name }) else {
            throw BackboneError.unknownBackbone(name, known: names)
        }
        return found
    }
}

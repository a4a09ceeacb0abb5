/// What the registry knows about a backbone before its weights are read: name, where its
/// weights come from, input geometry, preprocessing and output sizes.
public struct BackboneDescriptor: Sendable, Equatable {
    /// The architectures a descriptor can name.
    enum Architecture: Sendable, Equatable {
        case mobileNetV2
        case efficientNetLite
        case squeezeNet
        case resNet(ResNet.Variant)
        case kerasVGG(depth: Int)
        case kerasResNet(KerasResNet.Version, depth: Int)
        case kerasXception
        case invertedResidual(InvertedResidualNetwork)
        case vgg(VGG.Variant)
        case denseNet(DenseNet.Variant)
        case kerasInception(KerasInception.Variant)
        case convNeXt(ConvNeXt.Variant)
        case kerasDenseNet(DenseNet.Variant)
        case kerasMobileNet
        case kerasEfficientNet(EfficientNet.Variant)
        case regNet(RegNet.Variant)
    }

    /// Where a backbone's weights come from.
    public enum WeightsSource: Sendable, Equatable {
        /// A file `scripts/setup` fetches into the weights folder, refused unless it has the
        /// published sha256.
        case setup(file: String, sha256: String)
        /// A torchvision checkpoint the user already has, named `PREFIX-<hash>.pth` as torch hub
        /// saves it (e.g. `resnet50-0676ba61.pth`), in `$TORCH_HOME/hub/checkpoints` or the
        /// weights folder; any file of the right shapes is accepted and identified by its sha256.
        case torchHub(prefix: String)
        /// A Keras `.h5` weights file the user already has, found by its published names (in order
        /// of preference, e.g. `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` then the full
        /// file) in `$KERAS_HOME/models` or the weights folder; any file of the right shapes is
        /// accepted and identified by its sha256.
        case keras(files: [String])
        /// A Hugging Face Hub repo's `model.safetensors` or `pytorch_model.bin` (timm's weights, e.g. repo
        /// `timm/resnet50.a1_in1k`) the user already has, in the Hub's cache or as
        /// `OWNER--NAME.safetensors` in the weights folder; any file of the right shapes is accepted
        /// and identified by its sha256.
        case huggingFace(repo: String)
    }

    /// The name used on the command line and in feature stores (e.g. `mobilenet_v2`).
    public let name: String
    /// Where the weights come from.
    public let weights: WeightsSource
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
        BackboneDescriptor(name: "mobilenet_v2", weights: .setup(file: "mobilenet_v2-b0353104.pth",
                           sha256: "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"), inputSize: 224,
                           preprocessing: .torchvision, featureDimension: 1280, classes: 1000,
                           architecture: .mobileNetV2),
        BackboneDescriptor(name: "efficientnet_lite0", weights: .setup(file: "efficientnet-lite0-57934424.pth",
                           sha256: "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"), inputSize: 224,
                           preprocessing: .tensorflow(inputSize: 224), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "efficientnet_lite1", weights: .setup(file: "efficientnet-lite1-77cc7160.pth",
                           sha256: "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850"), inputSize: 240,
                           preprocessing: .tensorflow(inputSize: 240), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "efficientnet_lite2", weights: .setup(file: "efficientnet-lite2-9656183e.pth",
                           sha256: "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d"), inputSize: 260,
                           preprocessing: .tensorflow(inputSize: 260), featureDimension: 1280, classes: 1000,
                           architecture: .efficientNetLite),
        BackboneDescriptor(name: "squeezenet1_1", weights: .setup(file: "squeezenet_weights.pkl",
                           sha256: "f286bbf493e6389979ed3036f960f4404e0079acdb92156500df0d4a43d085f1"), inputSize: 227,
                           preprocessing: .caffe, featureDimension: 512, classes: 1000,
                           architecture: .squeezeNet),
    ] + torchvisionResNets + torchvisionVGGs + torchvisionDenseNets + torchvisionEfficientNets + torchvisionMobileNetV3s
        + kerasApplications + kerasDenseNets + kerasMobileNets + kerasEfficientNets
        + torchvisionConvNeXts
        + torchvisionRegNets
        + timmBackbones

    /// torchvision's ResNets (IMAGENET1K weights, found where torch hub keeps them).
    static let torchvisionResNets: [BackboneDescriptor] = [
        ("resnet18", ResNet.Variant(blocks: [2, 2, 2, 2], bottleneck: false, widthFactor: 1)),
        ("resnet34", ResNet.Variant(blocks: [3, 4, 6, 3], bottleneck: false, widthFactor: 1)),
        ("resnet50", ResNet.Variant(blocks: [3, 4, 6, 3], bottleneck: true, widthFactor: 1)),
        ("resnet101", ResNet.Variant(blocks: [3, 4, 23, 3], bottleneck: true, widthFactor: 1)),
        ("resnet152", ResNet.Variant(blocks: [3, 8, 36, 3], bottleneck: true, widthFactor: 1)),
        ("wide_resnet50_2", ResNet.Variant(blocks: [3, 4, 6, 3], bottleneck: true, widthFactor: 2)),
    ].map { name, variant in
        BackboneDescriptor(name: name, weights: .torchHub(prefix: name), inputSize: 224, preprocessing: .torchvision,
                           featureDimension: variant.featureDimension, classes: 1000, architecture: .resNet(variant))
    }

    /// The names of every backbone.
    public static var names: [String] { all.map(\.name) }

    /// The backbones a spot-check runs when none are named: those whose weights `scripts/setup` fetches.
    public static var defaultNames: [String] { all.filter(\.fetchedBySetup).map(\.name) }

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

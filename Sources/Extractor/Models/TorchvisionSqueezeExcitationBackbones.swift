extension BackboneRegistry {
    /// torchvision's EfficientNet-B0…B7 and V2-S (found where torch hub keeps them), each with its
    /// default weights' own transforms: crop, resize and filter as torchvision 0.28's
    /// `ImageClassification` presets. B1's prefix is that of its default (IMAGENET1K_V2) weights;
    /// B0, B2–B4 are Ross Wightman's ports and B5–B7 Luke Melas-Kyriazi's, as torch hub names them.
    static let torchvisionEfficientNets: [BackboneDescriptor] = [
        ("efficientnet_b0", "efficientnet_b0_rwightman", 1.0, 1.0, Float(1e-5), 224, 256, Preprocessing.Filter.bicubic),
        ("efficientnet_b1", "efficientnet_b1", 1.0, 1.1, 1e-5, 240, 255, .bilinear),
        ("efficientnet_b2", "efficientnet_b2_rwightman", 1.1, 1.2, 1e-5, 288, 288, .bicubic),
        ("efficientnet_b3", "efficientnet_b3_rwightman", 1.2, 1.4, 1e-5, 300, 320, .bicubic),
        ("efficientnet_b4", "efficientnet_b4_rwightman", 1.4, 1.8, 1e-5, 380, 384, .bicubic),
        ("efficientnet_b5", "efficientnet_b5_lukemelas", 1.6, 2.2, 1e-3, 456, 456, .bicubic),
        ("efficientnet_b6", "efficientnet_b6_lukemelas", 1.8, 2.6, 1e-3, 528, 528, .bicubic),
        ("efficientnet_b7", "efficientnet_b7_lukemelas", 2.0, 3.1, 1e-3, 600, 600, .bicubic),
    ].map { name, prefix, width, depth, epsilon, crop, resize, filter in
        invertedResidual(name, prefix: prefix, EfficientNet.network(.b(width: width, depth: depth, epsilon: epsilon)),
                         preprocessing: .torchvision(resizeShorterSide: resize, cropSize: crop, filter: filter))
    } + [
        invertedResidual("efficientnet_v2_s", prefix: "efficientnet_v2_s", EfficientNet.network(.v2Small),
                         preprocessing: .torchvision(resizeShorterSide: 384, cropSize: 384, filter: .bilinear)),
    ]

    /// torchvision's MobileNetV3-Large and -Small with their default weights' transforms (Large's
    /// IMAGENET1K_V2: resize 232; Small's V1: resize 256; crop 224, bilinear). Large's older V1 file
    /// (`mobilenet_v3_large-8738ca79.pth`, evaluated at resize 256) has the same prefix.
    static let torchvisionMobileNetV3s: [BackboneDescriptor] = [
        invertedResidual("mobilenet_v3_large", prefix: "mobilenet_v3_large", MobileNetV3.network(.large),
                         preprocessing: .torchvision(resizeShorterSide: 232, cropSize: 224, filter: .bilinear)),
        invertedResidual("mobilenet_v3_small", prefix: "mobilenet_v3_small", MobileNetV3.network(.small),
                         preprocessing: .torchvision),
    ]

    private static func invertedResidual(_ name: String, prefix: String, _ network: InvertedResidualNetwork,
                                         preprocessing: Preprocessing) -> BackboneDescriptor {
        BackboneDescriptor(name: name, weights: .torchHub(prefix: prefix), inputSize: preprocessing.cropSize,
                           preprocessing: preprocessing, featureDimension: network.featureDimension, classes: 1000,
                           architecture: .invertedResidual(network))
    }
}

extension Preprocessing {
    /// torchvision's `ImageClassification` preset with its own sizes and filter (the recorded
    /// orientation applied, shorter side `resizeShorterSide`, centre crop `cropSize`, RGB,
    /// `(x/255 − mean) / std` with ImageNet's mean and std); ``torchvision`` is 256, 224, bilinear.
    /// - Parameters:
    ///   - resizeShorterSide: the side the shorter image side is resized to.
    ///   - cropSize: the centre crop's side, the network's input size.
    ///   - filter: the resampling filter.
    /// - Returns: the preset.
    public static func torchvision(resizeShorterSide: Int, cropSize: Int, filter: Filter) -> Preprocessing {
        Preprocessing(
            name: "torchvision: EXIF orientation, resize \(resizeShorterSide) \(filter.rawValue), crop \(cropSize), RGB, (x/255 - mean)/std",
            resizeShorterSide: resizeShorterSide, cropSize: cropSize, filter: filter, channelOrder: .rgb,
            mean: torchvision.mean, scale: torchvision.scale)
    }
}

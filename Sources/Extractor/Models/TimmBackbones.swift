extension BackboneRegistry {
    /// timm's (PyTorch Image Models) backbones whose state dicts have the keys and layers of a
    /// torchvision graph spotcheck builds, read from the `model.safetensors` (or an older repo's
    /// `pytorch_model.bin`) timm keeps in the Hugging Face Hub's cache.
    ///
    /// `timm_resnet50` is timm's default `resnet50` weights, `timm/resnet50.a1_in1k` (ResNet
    /// strikes back, procedure A1; timm's `resnet50` is torchvision's ResNet-50 layer for layer, keys
    /// `conv1`, `bn1`, `layer1.0.conv1`, …, `fc`). Its preprocessing is that tag's pretrained config
    /// at its training size: input 224, crop_pct 0.95 (resize the shorter side to ⌊224/0.95⌋ = 235),
    /// bicubic, ImageNet mean and std — what `timm.data.resolve_data_config` gives by default. timm also
    /// lists a test size of 288 at crop_pct 1.0 (slightly better ImageNet accuracy at 1.65× the
    /// compute); the default size is the defensible choice for features. Another `resnet50.*` file
    /// (e.g. `tv_in1k`, torchvision's weights) loads with `timm_resnet50=PATH` under this preprocessing.
    ///
    /// `timm_regnety_004`, `_016`, `_032`, `_160`, `_320` are torchvision's RegNetY-400MF, 1.6GF,
    /// 3.2GF, 16GF, 32GF under timm's key names, with timm's default pretrained tag of each (its
    /// ImageNet-1k classifier) and that tag's preprocessing at input 224, bicubic: `tv2_in1k`
    /// (crop_pct 0.965, resize 232) for 004, 016 and 320; `ra_in1k` (0.95, resize 235) for 032;
    /// `sw_in12k_ft_in1k` (0.95) for 160.
    ///
    /// `timm_convnext_tiny`, `_small`, `_base` are torchvision's ConvNeXts under timm's key names
    /// (`stem.0`, `stages.0.blocks.0.conv_dw`, …, `head.fc`), with timm's default tags:
    /// `in12k_ft_in1k` (crop_pct 0.95) for Tiny and Small, `fb_in22k_ft_in1k` (0.875) for Base; 224, bicubic.
    ///
    /// `timm_efficientnet_b0` … `_b4` are torchvision's EfficientNet-B0 … B4 (timm's `efficientnet_*`
    /// pad symmetrically as torchvision does; its `tf_efficientnet_*` are not offered), and
    /// `timm_mobilenetv3_large_100`, `_small_100` torchvision's MobileNetV3s with batch-norm ε 1e-5,
    /// under timm's key names (see ``EfficientNet/timmNetwork(_:)``, ``MobileNetV3/timmNetwork(_:)``),
    /// at their default tags' training sizes, bicubic, crop_pct 0.875: B0 `ra_in1k` 224, B1
    /// `ra4_e3600_r240_in1k` 240 (crop_pct 0.9, mean and std 0.5), B2 `ra_in1k` 256, B3 and B4
    /// `ra2_in1k` 288 and 320; MobileNetV3-Large `ra_in1k`, -Small `lamb_in1k`, 224.
    static let timmBackbones: [BackboneDescriptor] = [
        timm224("timm_resnet50", "timm/resnet50.a1_in1k", cropPercent: 0.95, features: 2048,
                .resNet(ResNet.Variant(blocks: [3, 4, 6, 3], bottleneck: true, widthFactor: 1))),
    ] + [
        ("timm_regnety_004", "timm/regnety_004.tv2_in1k", 0.965, RegNet.y400MF),
        ("timm_regnety_016", "timm/regnety_016.tv2_in1k", 0.965, RegNet.y1_6GF),
        ("timm_regnety_032", "timm/regnety_032.ra_in1k", 0.95, RegNet.y3_2GF),
        ("timm_regnety_160", "timm/regnety_160.sw_in12k_ft_in1k", 0.95, RegNet.y16GF),
        ("timm_regnety_320", "timm/regnety_320.tv2_in1k", 0.965, RegNet.y32GF),
    ].map { name, repo, cropPercent, variant in
        timm224(name, repo, cropPercent: cropPercent, features: variant.featureDimension, .regNet(variant.named(.timm)))
    } + [
        ("timm_convnext_tiny", "timm/convnext_tiny.in12k_ft_in1k", 0.95, ConvNeXt.tiny),
        ("timm_convnext_small", "timm/convnext_small.in12k_ft_in1k", 0.95, ConvNeXt.small),
        ("timm_convnext_base", "timm/convnext_base.fb_in22k_ft_in1k", 0.875, ConvNeXt.base),
    ].map { name, repo, cropPercent, variant in
        timm224(name, repo, cropPercent: cropPercent, features: variant.featureDimension, .convNeXt(variant.named(.timm)))
    } + [
        ("timm_efficientnet_b0", "timm/efficientnet_b0.ra_in1k", EfficientNet.timmNetwork(.b(width: 1.0, depth: 1.0, epsilon: 1e-5)),
         Preprocessing.timm(inputSize: 224, cropPercent: 0.875, filter: .bicubic)),
        ("timm_efficientnet_b1", "timm/efficientnet_b1.ra4_e3600_r240_in1k",
         EfficientNet.timmNetwork(.b(width: 1.0, depth: 1.1, epsilon: 1e-5)),
         .timm(inputSize: 240, cropPercent: 0.9, filter: .bicubic, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5])),
        ("timm_efficientnet_b2", "timm/efficientnet_b2.ra_in1k", EfficientNet.timmNetwork(.b(width: 1.1, depth: 1.2, epsilon: 1e-5)),
         .timm(inputSize: 256, cropPercent: 0.875, filter: .bicubic)),
        ("timm_efficientnet_b3", "timm/efficientnet_b3.ra2_in1k", EfficientNet.timmNetwork(.b(width: 1.2, depth: 1.4, epsilon: 1e-5)),
         .timm(inputSize: 288, cropPercent: 0.875, filter: .bicubic)),
        ("timm_efficientnet_b4", "timm/efficientnet_b4.ra2_in1k", EfficientNet.timmNetwork(.b(width: 1.4, depth: 1.8, epsilon: 1e-5)),
         .timm(inputSize: 320, cropPercent: 0.875, filter: .bicubic)),
        ("timm_mobilenetv3_large_100", "timm/mobilenetv3_large_100.ra_in1k", MobileNetV3.timmNetwork(.large),
         .timm(inputSize: 224, cropPercent: 0.875, filter: .bicubic)),
        ("timm_mobilenetv3_small_100", "timm/mobilenetv3_small_100.lamb_in1k", MobileNetV3.timmNetwork(.small),
         .timm(inputSize: 224, cropPercent: 0.875, filter: .bicubic)),
    ].map { name, repo, network, preprocessing in
        BackboneDescriptor(name: name, weights: .huggingFace(repo: repo), inputSize: preprocessing.cropSize,
                           preprocessing: preprocessing, featureDimension: network.featureDimension, classes: 1000,
                           architecture: .invertedResidual(network))
    }

    /// A timm backbone of a Hub repo evaluated at 224, bicubic, ImageNet mean/std, with its `crop_pct`.
    private static func timm224(_ name: String, _ repo: String, cropPercent: Double, features: Int,
                                _ architecture: BackboneDescriptor.Architecture) -> BackboneDescriptor {
        BackboneDescriptor(name: name, weights: .huggingFace(repo: repo), inputSize: 224,
                           preprocessing: .timm(inputSize: 224, cropPercent: cropPercent, filter: .bicubic),
                           featureDimension: features, classes: 1000, architecture: architecture)
    }
}

extension Preprocessing {
    /// timm's evaluation transform for a pretrained config (crop mode `center`): the recorded
    /// orientation applied, shorter side resized to `⌊inputSize / cropPercent⌋` with `filter`, centre
    /// crop `inputSize`, RGB, `(x/255 − mean) / std`.
    /// - Parameters:
    ///   - inputSize: the network's input side (`input_size`).
    ///   - cropPercent: timm's `crop_pct`.
    ///   - filter: the resampling filter (`interpolation`).
    ///   - mean: the per-channel mean of pixels scaled to 0…1 (default ImageNet's; the name states any other).
    ///   - std: their standard deviation (default ImageNet's).
    /// - Returns: the preset.
    public static func timm(inputSize: Int, cropPercent: Double, filter: Filter,
                            mean: [Double] = [0.485, 0.456, 0.406], std: [Double] = [0.229, 0.224, 0.225]) -> Preprocessing {
        let resize = Int((Double(inputSize) / cropPercent).rounded(.down))
        let imageNet = mean == [0.485, 0.456, 0.406] && std == [0.229, 0.224, 0.225]
        let normalisation = imageNet ? "(x/255 - mean)/std" : "(x/255 - mean)/std, mean \(mean), std \(std)"
        return Preprocessing(
            name: "timm: EXIF orientation, resize \(resize) \(filter.rawValue), crop \(inputSize) (crop_pct \(cropPercent)), "
                + "RGB, \(normalisation)",
            resizeShorterSide: resize, cropSize: inputSize, filter: filter, channelOrder: .rgb,
            mean: mean.map { Float($0) * 255 }, scale: std.map { Float($0) * 255 })
    }
}

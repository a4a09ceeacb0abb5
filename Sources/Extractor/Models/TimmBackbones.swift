extension BackboneRegistry {
    /// timm's (PyTorch Image Models) backbones whose state dicts have the keys and layers of a
    /// torchvision graph spotcheck builds, read from the `model.safetensors` timm keeps in the
    /// Hugging Face Hub's cache.
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
    static let timmBackbones: [BackboneDescriptor] = [
        BackboneDescriptor(name: "timm_resnet50", weights: .huggingFace(repo: "timm/resnet50.a1_in1k"), inputSize: 224,
                           preprocessing: .timm(inputSize: 224, cropPercent: 0.95, filter: .bicubic),
                           featureDimension: 2048, classes: 1000,
                           architecture: .resNet(ResNet.Variant(blocks: [3, 4, 6, 3], bottleneck: true, widthFactor: 1))),
    ] + [
        ("timm_regnety_004", "timm/regnety_004.tv2_in1k", 0.965, RegNet.y400MF),
        ("timm_regnety_016", "timm/regnety_016.tv2_in1k", 0.965, RegNet.y1_6GF),
        ("timm_regnety_032", "timm/regnety_032.ra_in1k", 0.95, RegNet.y3_2GF),
        ("timm_regnety_160", "timm/regnety_160.sw_in12k_ft_in1k", 0.95, RegNet.y16GF),
        ("timm_regnety_320", "timm/regnety_320.tv2_in1k", 0.965, RegNet.y32GF),
    ].map { name, repo, cropPercent, variant in
        BackboneDescriptor(name: name, weights: .huggingFace(repo: repo), inputSize: 224,
                           preprocessing: .timm(inputSize: 224, cropPercent: cropPercent, filter: .bicubic),
                           featureDimension: variant.featureDimension, classes: 1000,
                           architecture: .regNet(variant.named(.timm)))
    }
}

extension Preprocessing {
    /// timm's evaluation transform for a pretrained config (crop mode `center`): the recorded
    /// orientation applied, shorter side resized to `⌊inputSize / cropPercent⌋` with `filter`, centre
    /// crop `inputSize`, RGB, `(x/255 − mean) / std` with ImageNet's mean and std.
    /// - Parameters:
    ///   - inputSize: the network's input side (`input_size`).
    ///   - cropPercent: timm's `crop_pct`.
    ///   - filter: the resampling filter (`interpolation`).
    /// - Returns: the preset.
    public static func timm(inputSize: Int, cropPercent: Double, filter: Filter) -> Preprocessing {
        let resize = Int((Double(inputSize) / cropPercent).rounded(.down))
        return Preprocessing(
            name: "timm: EXIF orientation, resize \(resize) \(filter.rawValue), crop \(inputSize) (crop_pct \(cropPercent)), "
                + "RGB, (x/255 - mean)/std",
            resizeShorterSide: resize, cropSize: inputSize, filter: filter, channelOrder: .rgb,
            mean: torchvision.mean, scale: torchvision.scale)
    }
}

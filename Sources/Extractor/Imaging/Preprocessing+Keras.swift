/// The `keras.applications` presets: each family's own `preprocess_input` after
/// `keras.utils.load_img(path, target_size=(S, S))`, which resizes with Pillow's `NEAREST` filter
/// straight to `S × S` (no crop, aspect ratio ignored) — the preset's `squash` fit. As every
/// preset, these apply the orientation the file records (Keras does not) and follow the run's
/// fit: spotcheck's default `crop` resizes the shorter side to `S` and takes the centre square;
/// `--fit squash` reproduces `load_img` exactly.
extension Preprocessing {
    /// Keras `caffe` mode (VGG16/19, ResNet50/101/152): BGR, minus the ImageNet mean
    /// (103.939, 116.779, 123.68) for (B, G, R), no scaling.
    /// - Parameter size: the input side.
    /// - Returns: the preset.
    public static func kerasCaffe(inputSize size: Int) -> Preprocessing {
        Preprocessing(name: "keras caffe: EXIF orientation, resize \(size) nearest, crop \(size), BGR, x - (103.939, 116.779, 123.68)",
                      resizeShorterSide: size, cropSize: size, filter: .nearest, channelOrder: .bgr,
                      mean: [103.939, 116.779, 123.68], scale: [1, 1, 1]).fitting(.squash)
    }

    /// Keras `tf` mode (ResNetV2, Xception, Inception): RGB, `x / 127.5 − 1`.
    /// - Parameter size: the input side.
    /// - Returns: the preset.
    public static func kerasTensorflow(inputSize size: Int) -> Preprocessing {
        Preprocessing(name: "keras tf: EXIF orientation, resize \(size) nearest, crop \(size), RGB, x/127.5 - 1",
                      resizeShorterSide: size, cropSize: size, filter: .nearest, channelOrder: .rgb,
                      mean: [127.5, 127.5, 127.5], scale: [127.5, 127.5, 127.5]).fitting(.squash)
    }

    /// Keras `torch` mode (DenseNet): RGB, `(x/255 − mean) / std` with torchvision's ImageNet mean
    /// (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    /// - Parameter size: the input side.
    /// - Returns: the preset.
    public static func kerasTorch(inputSize size: Int) -> Preprocessing {
        Preprocessing(name: "keras torch: EXIF orientation, resize \(size) nearest, crop \(size), RGB, (x/255 - mean)/std",
                      resizeShorterSide: size, cropSize: size, filter: .nearest, channelOrder: .rgb,
                      mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
                      scale: [0.229 * 255, 0.224 * 255, 0.225 * 255]).fitting(.squash)
    }

    /// Keras' EfficientNet `preprocess_input`, a pass-through: RGB pixels 0…255 (the network
    /// rescales and normalises them itself).
    /// - Parameter size: the input side.
    /// - Returns: the preset.
    public static func kerasPixels(inputSize size: Int) -> Preprocessing {
        Preprocessing(name: "keras pixels: EXIF orientation, resize \(size) nearest, crop \(size), RGB, x (0-255)",
                      resizeShorterSide: size, cropSize: size, filter: .nearest, channelOrder: .rgb,
                      mean: [0, 0, 0], scale: [1, 1, 1]).fitting(.squash)
    }
}

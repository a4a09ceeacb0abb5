/// How a backbone wants its input image prepared: geometry, resampling filter, channel order
/// and normalisation. A preset is plain data attached to a model; the image pipeline applies
/// whatever preset it is given and never asks which model it serves.
public struct Preprocessing: Sendable, Equatable, Codable {
    /// The resampling filter used for the resize (bilinear and bicubic antialiased when
    /// shrinking, as Pillow).
    public enum Filter: String, Sendable, Codable {
        case bilinear
        case bicubic
        /// Pillow's `NEAREST` (Keras' `load_img` default): each output pixel copies the input
        /// pixel under its centre, no antialiasing.
        case nearest
    }

    /// How the image is made square before normalisation.
    public enum Fit: String, Sendable, Codable, CaseIterable {
        /// Resize the shorter side to `resizeShorterSide`, then take the centre `cropSize` square
        /// (torchvision's `Resize` + `CenterCrop`): the edges of the longer side are lost.
        case crop
        /// Resize straight to `cropSize × cropSize`, ignoring the aspect ratio (Pillow's
        /// `resize((S, S))`): the whole picture, stretched.
        case squash
        /// Resize the longer side to `cropSize` and centre the picture on a square of the
        /// preset's mean colour (Pillow's `ImageOps.pad`): the whole picture and its aspect
        /// ratio, with bands that normalise to about zero.
        case pad
    }

    /// The order of the three colour planes in the output tensor.
    public enum ChannelOrder: String, Sendable, Codable {
        case rgb
        case bgr
    }

    /// Length the shorter image side is resized to before the crop.
    public var resizeShorterSide: Int
    /// Side of the square centre crop, which is the network's input size.
    public var cropSize: Int
    /// Resampling filter.
    public var filter: Filter
    /// Channel order of the output tensor.
    public var channelOrder: ChannelOrder
    /// Per-channel value subtracted from the 0…255 pixel value, in output channel order.
    public var mean: [Float]
    /// Per-channel divisor applied after subtracting `mean`, in output channel order.
    public var scale: [Float]
    /// A short human-readable description, stored in feature-store attributes.
    public var name: String
    /// How the image is made square (default: centre crop).
    public var fit: Fit = .crop
    /// Whether the orientation the file records (EXIF, or XMP) is applied first, as Pillow's
    /// `ImageOps.exif_transpose` (default true; the built-in presets say so in their names, so
    /// that stores made before orientation was applied do not match them).
    public var appliesOrientation = true

    /// Creates a preset; `output = (pixel − mean[c]) / scale[c]` with `pixel` in 0…255.
    public init(name: String, resizeShorterSide: Int, cropSize: Int, filter: Filter,
                channelOrder: ChannelOrder, mean: [Float], scale: [Float]) {
        self.name = name
        self.resizeShorterSide = resizeShorterSide
        self.cropSize = cropSize
        self.filter = filter
        self.channelOrder = channelOrder
        self.mean = mean
        self.scale = scale
    }

    /// This preset with another fit; a fit other than `crop` is named at the end of ``name``.
    /// - Parameter fit: how the image is made square.
    /// - Returns: the same preset, fitting the image with `fit`.
    public func fitting(_ fit: Fit) -> Preprocessing {
        var preset = self
        if self.fit != .crop, let range = name.range(of: ", fit ", options: .backwards) {
            preset.name = String(name[..<range.lowerBound])
        }
        if fit != .crop { preset.name += ", fit \(fit.rawValue)" }
        preset.fit = fit
        return preset
    }

    /// torchvision's ImageNet preset: the recorded orientation applied, shorter side 256, bilinear, centre crop 224, RGB,
    /// `(x/255 − mean) / std` with mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
    public static let torchvision = Preprocessing(
        name: "torchvision: EXIF orientation, resize 256 bilinear, crop 224, RGB, (x/255 - mean)/std",
        resizeShorterSide: 256, cropSize: 224, filter: .bilinear, channelOrder: .rgb,
        mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
        scale: [0.229 * 255, 0.224 * 255, 0.225 * 255])

    /// TensorFlow EfficientNet-Lite preset: the recorded orientation applied, shorter side `int(size / 0.875)`, bicubic, centre
    /// crop `size`, RGB, `(x − 127) / 128`.
    public static func tensorflow(inputSize size: Int) -> Preprocessing {
        Preprocessing(
            name: "tensorflow: EXIF orientation, resize \(Int(Double(size) / 0.875)) bicubic, crop \(size), RGB, (x - 127)/128",
            resizeShorterSide: Int(Double(size) / 0.875), cropSize: size, filter: .bicubic,
            channelOrder: .rgb, mean: [127, 127, 127], scale: [128, 128, 128])
    }

    /// Caffe preset (Keras SqueezeNet): the recorded orientation applied, shorter side 256, bilinear, centre crop 227, BGR,
    /// minus the mean (103.939, 116.779, 123.68) for (B, G, R), no scaling.
    public static let caffe = Preprocessing(
        name: "caffe: EXIF orientation, resize 256 bilinear, crop 227, BGR, x - (103.939, 116.779, 123.68)",
        resizeShorterSide: 256, cropSize: 227, filter: .bilinear, channelOrder: .bgr,
        mean: [103.939, 116.779, 123.68], scale: [1, 1, 1])
}

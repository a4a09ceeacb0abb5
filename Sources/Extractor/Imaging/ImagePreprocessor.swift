import Foundation

/// Turns one image file into a network input with a ``Preprocessing`` preset: decode (Pillow's
/// conventions, the recorded orientation applied unless the preset says otherwise), make it square as the preset's ``Preprocessing/Fit`` says — by default resize
/// the shorter side and centre-crop (Pillow's antialiased bilinear or bicubic, torchvision's size
/// and crop rounding); or squash; or pad — round to 8 bits, then
/// `(pixel − mean[c]) / scale[c]` into CHW float32 planes in the preset's channel order.
///
/// An instance owns reusable buffers and is not thread-safe: use one per thread.
public final class ImagePreprocessor {
    /// The preset applied.
    public let preset: Preprocessing
    /// Whether large JPEGs are decoded at reduced size (libjpeg DCT scaling) when they are at
    /// least four times the resized shorter side; the result then differs slightly from Pillow.
    public let reducedDecode: Bool
    private let decoder: ImageDecoder
    private var resampler = PillowResampler()
    private var crop: [UInt8]
    /// The resized picture before it is placed on the square (`pad` only).
    private var padded: [UInt8] = []
    /// `lookup[c * 256 + v]` is the output value of pixel value `v` in output channel `c`.
    private let lookup: [Float]

    /// Creates a preprocessor.
    /// - Parameters:
    ///   - preset: the geometry, filter, channel order and normalisation.
    ///   - maxPixels: images claiming more pixels than this are refused (default 100 megapixels).
    ///   - decodeBudget: the most memory one decode may use (default
    ///     `ImageDecoder.defaultDecodeBudget`); larger images are refused.
    ///   - reducedDecode: allow DCT-scaled JPEG decoding of very large images (default false).
    /// - Throws: ``InvalidPresetError`` when the preset cannot be applied.
    public init(preset: Preprocessing, maxPixels: Int = 100_000_000,
                decodeBudget: Int = ImageDecoder.defaultDecodeBudget, reducedDecode: Bool = false)
        throws(InvalidPresetError) {
        try preset.validate()
        self.preset = preset
        self.reducedDecode = reducedDecode
        self.decoder = ImageDecoder(maxPixels: maxPixels, decodeBudget: decodeBudget,
                                    appliesOrientation: preset.appliesOrientation)
        self.crop = [UInt8](repeating: 0, count: preset.cropSize * preset.cropSize * 3)
        var lookup = [Float](repeating: 0, count: 3 * 256)
        for channel in 0..<3 {
            for value in 0..<256 {
                lookup[channel * 256 + value] = (Float(value) - preset.mean[channel]) / preset.scale[channel]
            }
        }
        self.lookup = lookup
    }

    /// Resizes and centre-crops decoded pixels (no normalisation): the 8-bit image that the
    /// network input is computed from.
    /// - Parameter image: decoded RGB pixels.
    /// - Returns: a `cropSize × cropSize` RGB image.
    public func resizeAndCrop(_ image: RGBImage) -> RGBImage {
        image.pixels.withUnsafeBufferPointer { resizeAndCrop($0, width: image.width, height: image.height) }
        return RGBImage(width: preset.cropSize, height: preset.cropSize, pixels: crop)
    }

    /// Decodes a file, then resizes and centre-crops it (no normalisation).
    /// - Parameter url: a JPEG or PNG file.
    /// - Returns: a `cropSize × cropSize` RGB image.
    /// - Throws: ``ImageDecodingError`` naming the file and the reason.
    public func resizeAndCrop(contentsOf url: URL) throws(ImageDecodingError) -> RGBImage {
        try decodeResizeAndCrop(url)
        return RGBImage(width: preset.cropSize, height: preset.cropSize, pixels: crop)
    }

    /// Decodes, resizes, crops and normalises a file into `3 × cropSize × cropSize` floats.
    /// - Parameters:
    ///   - url: a JPEG or PNG file.
    ///   - destination: room for exactly `3 × cropSize × cropSize` values (one image of a batch).
    /// - Throws: ``ImageDecodingError`` naming the file and the reason; `destination` is then
    ///   left untouched.
    package func preprocess(contentsOf url: URL, into destination: UnsafeMutableBufferPointer<Float>)
        throws(ImageDecodingError) {
        precondition(destination.count == 3 * preset.cropSize * preset.cropSize,
                     "destination needs 3 × \(preset.cropSize)² values")
        try decodeResizeAndCrop(url)
        normalize(into: destination)
    }

    private func decodeResizeAndCrop(_ url: URL) throws(ImageDecodingError) {
        let minimumShorterSide = reducedDecode ? 2 * preset.resizeShorterSide : 0
        try decoder.withDecodedPixels(contentsOf: url, minimumShorterSide: minimumShorterSide) { pixels, width, height in
            resizeAndCrop(pixels, width: width, height: height)
        }
    }

    private func resizeAndCrop(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) {
        let side = preset.cropSize
        switch preset.fit {
        case .crop:
            let size = preset.resizedSize(width: width, height: height)
            let origin = preset.cropOrigin(width: size.width, height: size.height)
            crop.withUnsafeMutableBufferPointer { destination in
                resampler.resize(pixels, width: width, height: height, outWidth: size.width, outHeight: size.height,
                                 left: origin.left, top: origin.top, cropWidth: side, cropHeight: side,
                                 filter: preset.filter, into: destination)
            }
        case .squash:
            crop.withUnsafeMutableBufferPointer { destination in
                resampler.resize(pixels, width: width, height: height, outWidth: side, outHeight: side,
                                 left: 0, top: 0, cropWidth: side, cropHeight: side, filter: preset.filter,
                                 into: destination)
            }
        case .pad:
            pad(pixels, width: width, height: height)
        }
    }

    /// Resizes the picture to fit the square and centres it on the preset's pad colour.
    private func pad(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) {
        let side = preset.cropSize
        let place = preset.padPlacement(width: width, height: height)
        let rowBytes = place.width * 3
        if padded.count < place.height * rowBytes { padded = [UInt8](repeating: 0, count: place.height * rowBytes) }
        padded.withUnsafeMutableBufferPointer { destination in
            resampler.resize(pixels, width: width, height: height, outWidth: place.width, outHeight: place.height,
                             left: 0, top: 0, cropWidth: place.width, cropHeight: place.height,
                             filter: preset.filter, into: destination)
        }
        let colour = preset.padColour
        crop.withUnsafeMutableBufferPointer { square in
            padded.withUnsafeBufferPointer { picture in
                guard let square = square.baseAddress, let picture = picture.baseAddress else { return }
                for index in 0..<(side * side) {
                    square[index * 3] = colour[0]
                    square[index * 3 + 1] = colour[1]
                    square[index * 3 + 2] = colour[2]
                }
                for row in 0..<place.height {
                    (square + ((place.top + row) * side + place.left) * 3)
                        .update(from: picture + row * rowBytes, count: rowBytes)
                }
            }
        }
    }

    /// Interleaved 8-bit crop → planar normalised floats, swapping R and B for BGR presets.
    private func normalize(into destination: UnsafeMutableBufferPointer<Float>) {
        let plane = preset.cropSize * preset.cropSize
        let bgr = preset.channelOrder == .bgr
        crop.withUnsafeBufferPointer { pixels in
            lookup.withUnsafeBufferPointer { table in
                for channel in 0..<3 {
                    let source = bgr ? 2 - channel : channel
                    let offset = channel * 256
                    let base = channel * plane
                    for index in 0..<plane {
                        destination[base + index] = table[offset + Int(pixels[index * 3 + source])]
                    }
                }
            }
        }
    }
}

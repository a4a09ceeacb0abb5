import Foundation

/// The resize-and-crop arithmetic of a preset, torchvision's rules exactly.
extension Preprocessing {
    /// Size after torchvision's `Resize(resizeShorterSide)`: the shorter side becomes
    /// `resizeShorterSide`, the longer `int(resizeShorterSide · long / short)` (truncated).
    /// - Parameters:
    ///   - width: the image width.
    ///   - height: the image height.
    /// - Returns: the resized width and height.
    public func resizedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        if width <= height {
            return (resizeShorterSide, Int(Double(resizeShorterSide * height) / Double(width)))
        }
        return (Int(Double(resizeShorterSide * width) / Double(height)), resizeShorterSide)
    }

    /// Top-left corner of torchvision's `CenterCrop(cropSize)` in an image of the given size:
    /// `round((w − S) / 2)`, `round((h − S) / 2)` with Python's round-half-to-even.
    /// - Parameters:
    ///   - width: the (resized) image width.
    ///   - height: the (resized) image height.
    /// - Returns: the left column and the top row of the crop.
    public func cropOrigin(width: Int, height: Int) -> (left: Int, top: Int) {
        (Int((Double(width - cropSize) / 2).rounded(.toNearestOrEven)),
         Int((Double(height - cropSize) / 2).rounded(.toNearestOrEven)))
    }

    /// Where Pillow's `ImageOps.pad(image, (S, S))` puts the picture on the square, `S = cropSize`:
    /// the longer side becomes `S`, the shorter `round(short / long · S)` (half to even), centred
    /// at `round((S − short′) / 2)`.
    /// - Parameters:
    ///   - width: the decoded image width.
    ///   - height: the decoded image height.
    /// - Returns: the resized picture's size and its top-left corner on the square.
    public func padPlacement(width: Int, height: Int) -> (width: Int, height: Int, left: Int, top: Int) {
        let side = cropSize
        guard width != height else { return (side, side, 0, 0) }
        let shorter = Int((Double(min(width, height)) / Double(max(width, height)) * Double(side))
            .rounded(.toNearestOrEven))
        let offset = Int((Double(side - shorter) * 0.5).rounded(.toNearestOrEven))
        return width > height ? (side, shorter, 0, offset) : (shorter, side, offset, 0)
    }

    /// The RGB colour of the bands `pad` adds: the preset's mean, rounded, so that the bands
    /// normalise to about zero.
    public var padColour: [UInt8] {
        let rgb = channelOrder == .bgr ? mean.reversed() : mean
        return rgb.map { UInt8(max(0, min(255, $0.rounded()))) }
    }

    /// Checks that the preset can be applied: positive sizes, a crop no larger than the resized
    /// shorter side, three non-zero scales and three means.
    /// - Throws: ``InvalidPresetError`` saying which field is wrong.
    public func validate() throws(InvalidPresetError) {
        guard cropSize > 0, resizeShorterSide >= cropSize else {
            throw InvalidPresetError(preset: name, problem:
                "crop \(cropSize) must be positive and at most the resized shorter side \(resizeShorterSide)")
        }
        guard mean.count == 3, scale.count == 3, !scale.contains(0) else {
            throw InvalidPresetError(preset: name, problem:
                "mean and scale need three values each, scales non-zero (got \(mean), \(scale))")
        }
    }
}

/// A ``Preprocessing`` preset that cannot be applied.
public struct InvalidPresetError: Error, Sendable, CustomStringConvertible {
    /// The preset's name.
    public let preset: String
    /// What is wrong with it.
    public let problem: String

    /// What went wrong and what to do.
    public var description: String { "preprocessing preset \"\(preset)\" is invalid: \(problem); fix the preset" }
}

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

/// A counter-clockwise rotation by a multiple of 90°.
public enum RightAngleRotation: Int, CaseIterable, Sendable {
    /// No rotation.
    case degrees0 = 0
    /// 90° counter-clockwise (Pillow's `rotate(90, expand=True)`, `transpose(ROTATE_90)`).
    case degrees90 = 90
    /// 180°.
    case degrees180 = 180
    /// 270° counter-clockwise, i.e. 90° clockwise.
    case degrees270 = 270
}

extension RGBImage {
    /// The image turned counter-clockwise by `rotation`, exactly as Pillow's
    /// `Image.rotate(angle, expand=True)` for right angles: lossless, with width and height
    /// swapped for 90° and 270°.
    /// - Parameter rotation: the angle.
    /// - Returns: the rotated image.
    public func rotated(by rotation: RightAngleRotation) -> RGBImage {
        let turned = rotation == .degrees90 || rotation == .degrees270
        let outWidth = turned ? height : width, outHeight = turned ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { destination in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // The source pixel that lands on (x, y) of the output.
                        let (sx, sy): (Int, Int)
                        switch rotation {
                        case .degrees0: (sx, sy) = (x, y)
                        case .degrees90: (sx, sy) = (width - 1 - y, x)
                        case .degrees180: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case .degrees270: (sx, sy) = (y, height - 1 - x)
                        }
                        let from = (sy * width + sx) * 3, to = (y * outWidth + x) * 3
                        destination[to] = source[from]
                        destination[to + 1] = source[from + 1]
                        destination[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

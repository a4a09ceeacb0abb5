extension RGBImage {
    /// A small copy for looking at, whose longer side is at most `maxSide` pixels: each output
    /// pixel is the mean of the source pixels it covers (not Pillow-exact; for reports only).
    /// - Parameter maxSide: the longest side of the thumbnail, at least 1.
    /// - Returns: the thumbnail (the image itself when it is small enough already).
    package func thumbnail(maxSide: Int) -> RGBImage {
        let scale = Double(max(width, height)) / Double(max(1, maxSide))
        guard scale > 1 else { return self }
        let outWidth = max(1, Int((Double(width) / scale).rounded())), outHeight = max(1, Int((Double(height) / scale).rounded()))
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        for y in 0..<outHeight {
            let top = y * height / outHeight, bottom = max(top + 1, (y + 1) * height / outHeight)
            for x in 0..<outWidth {
                let left = x * width / outWidth, right = max(left + 1, (x + 1) * width / outWidth)
                var sums = (0, 0, 0)
                for row in top..<bottom {
                    for column in left..<right {
                        let at = (row * width + column) * 3
                        sums.0 += Int(pixels[at]); sums.1 += Int(pixels[at + 1]); sums.2 += Int(pixels[at + 2])
                    }
                }
                let count = (bottom - top) * (right - left), at = (y * outWidth + x) * 3
                out[at] = UInt8(sums.0 / count); out[at + 1] = UInt8(sums.1 / count); out[at + 2] = UInt8(sums.2 / count)
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}

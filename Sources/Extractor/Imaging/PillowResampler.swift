import Foundation
import LinearAlgebra

/// Pillow's separable, antialiased resampling (`Resample.c`, 8 bits per channel) restricted to
/// a window of the output: the same coefficients, the same 22-bit fixed-point rounding and the
/// same order (horizontal pass rounded to 8 bits, then vertical), so the window equals
/// `im.resize(size, filter).crop(window)` exactly. Only the rows and columns the window needs
/// are computed. An instance keeps its scratch buffers between calls; use one per thread.
struct PillowResampler {
    /// Pillow's `PRECISION_BITS` for 8-bit images.
    private static let precisionBits = 22

    /// Coefficients of one axis for the output positions of the window.
    private struct Axis {
        var first: [Int32] = []         // first input index per output position
        var count: [Int32] = []         // number of taps per output position
        var weights: [Int32] = []       // kernelSize fixed-point weights per output position
        var kernelSize = 0

        /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for outputs `start..<start+length`.
        mutating func compute(inSize: Int, outSize: Int, start: Int, length: Int,
                              filter: Preprocessing.Filter) {
            let support0: Double = filter == .bicubic ? 2 : 1
            let scale = Double(Float(inSize)) / Double(outSize)
            let filterScale = max(scale, 1)
            let support = support0 * filterScale
            kernelSize = Int(support.rounded(.up)) * 2 + 1
            first.removeAll(keepingCapacity: true)
            count.removeAll(keepingCapacity: true)
            weights.removeAll(keepingCapacity: true)
            weights.reserveCapacity(length * kernelSize)
            var taps = [Double](repeating: 0, count: kernelSize)
            let inverse = 1 / filterScale
            for position in start..<(start + length) {
                let center = (Double(position) + 0.5) * scale
                let low = max(Int(center - support + 0.5), 0)
                let high = min(Int(center + support + 0.5), inSize) - low
                var total = 0.0
                for tap in 0..<high {
                    let weight = Self.kernel((Double(tap + low) - center + 0.5) * inverse, filter)
                    taps[tap] = weight
                    total += weight
                }
                for tap in 0..<kernelSize {
                    var weight = tap < high ? taps[tap] : 0
                    if tap < high, total != 0 { weight /= total }
                    let fixed = weight * Double(1 << PillowResampler.precisionBits)
                    weights.append(Int32(weight < 0 ? fixed - 0.5 : fixed + 0.5))
                }
                first.append(Int32(low))
                count.append(Int32(high))
            }
        }

        /// Pillow's bilinear (triangle) and bicubic (a = −0.5) kernels.
        private static func kernel(_ x: Double, _ filter: Preprocessing.Filter) -> Double {
            let x = abs(x)
            switch filter {
            case .bilinear, .nearest:
                return x < 1 ? 1 - x : 0
            case .bicubic:
                let a = -0.5
                if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
                if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
                return 0
            }
        }
    }

    private var horizontal = Axis()
    private var vertical = Axis()
    private var intermediate: [UInt8] = []
    private var accumulator: [Int32] = []

    /// Resizes `source` (RGB, `width × height`) to `outWidth × outHeight` and writes the window
    /// `left..<left+cropWidth`, `top..<top+cropHeight` of the result into `destination`
    /// (RGB, `cropWidth × cropHeight`, no padding).
    mutating func resize(_ source: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                         outWidth: Int, outHeight: Int, left: Int, top: Int,
                         cropWidth: Int, cropHeight: Int, filter: Preprocessing.Filter,
                         into destination: UnsafeMutableBufferPointer<UInt8>) {
        if filter == .nearest, outWidth != width || outHeight != height {
            let columns = Self.nearest(inSize: width, outSize: outWidth)[left..<(left + cropWidth)]
            let rows = Self.nearest(inSize: height, outSize: outHeight)[top..<(top + cropHeight)]
            for (row, sourceRow) in rows.enumerated() {
                for (column, sourceColumn) in columns.enumerated() {
                    for channel in 0..<3 {
                        destination[(row * cropWidth + column) * 3 + channel] = source[(sourceRow * width + sourceColumn) * 3 + channel]
                    }
                }
            }
            return
        }
        let resizeX = outWidth != width, resizeY = outHeight != height
        // Rows of the source that the vertical pass (or the crop) reads.
        let firstRow: Int, rowCount: Int
        if resizeY {
            vertical.compute(inSize: height, outSize: outHeight, start: top, length: cropHeight, filter: filter)
            firstRow = Int(vertical.first[0])
            let lastRow = Int(vertical.first[cropHeight - 1] + vertical.count[cropHeight - 1])
            rowCount = lastRow - firstRow
        } else {
            firstRow = top
            rowCount = cropHeight
        }
        let rowBytes = cropWidth * 3
        if intermediate.count < rowCount * rowBytes { intermediate = [UInt8](repeating: 0, count: rowCount * rowBytes) }
        // Horizontal pass (or a plain column window) into `intermediate`.
        if resizeX {
            horizontal.compute(inSize: width, outSize: outWidth, start: left, length: cropWidth, filter: filter)
        }
        guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
        let horizontalAxis = horizontal
        intermediate.withUnsafeMutableBufferPointer { rows in
            guard let rowsBase = rows.baseAddress else { return }
            for row in 0..<rowCount {
                let input = sourceBase + (firstRow + row) * width * 3
                let output = rowsBase + row * rowBytes
                if resizeX {
                    Self.horizontalRow(input, output, cropWidth, horizontalAxis)
                } else {
                    output.update(from: input + left * 3, count: rowBytes)
                }
            }
        }
        // Vertical pass (or a plain copy) into the destination.
        guard resizeY else {
            destinationBase.update(from: intermediate, count: cropHeight * rowBytes)
            return
        }
        if accumulator.count < rowBytes { accumulator = [Int32](repeating: 0, count: rowBytes) }
        let verticalAxis = vertical
        intermediate.withUnsafeBufferPointer { rows in
            accumulator.withUnsafeMutableBufferPointer { sums in
                guard let rowsBase = rows.baseAddress, let sumsBase = sums.baseAddress else { return }
                for row in 0..<cropHeight {
                    Self.verticalRow(rowsBase, sumsBase, rowBytes, row, firstRow, verticalAxis,
                                     destinationBase + row * rowBytes)
                }
            }
        }
    }

    /// The input index each output index copies in Pillow's `NEAREST` resize (`ImagingScaleAffine`):
    /// the position starts at `scale/2` and grows by `scale = in/out` per step — summed in double
    /// precision, not multiplied, as Pillow does, so that positions round down the same way.
    /// - Parameters:
    ///   - inSize: the input length.
    ///   - outSize: the output length.
    /// - Returns: `outSize` indices in `0..<inSize`.
    static func nearest(inSize: Int, outSize: Int) -> [Int] {
        let scale = Double(inSize) / Double(outSize)
        var position = scale * 0.5
        var indices = [Int](repeating: 0, count: outSize)
        for index in 0..<outSize {
            indices[index] = min(max(Int(position), 0), inSize - 1)
            position += scale
        }
        return indices
    }

    /// One output row of the horizontal pass, three channels at a time.
    @inline(__always)
    private static func horizontalRow(_ input: UnsafePointer<UInt8>, _ output: UnsafeMutablePointer<UInt8>,
                                      _ columns: Int, _ axis: Axis) {
        axis.first.withUnsafeBufferPointer { first in
            axis.count.withUnsafeBufferPointer { count in
                axis.weights.withUnsafeBufferPointer { weights in
                    guard let first = first.baseAddress, let count = count.baseAddress, let weights = weights.baseAddress else { return }
                    VectorKernels.resampleRowRGB(input, into: output, columns: columns, first: first, count: count,
                                                 weights: weights, kernelSize: axis.kernelSize, shift: Int32(precisionBits))
                }
            }
        }
    }

    /// One output row of the vertical pass: a weighted sum of whole intermediate rows.
    @inline(__always)
    private static func verticalRow(_ rows: UnsafePointer<UInt8>, _ sums: UnsafeMutablePointer<Int32>,
                                    _ rowBytes: Int, _ row: Int, _ firstRow: Int, _ axis: Axis,
                                    _ output: UnsafeMutablePointer<UInt8>) {
        sums.update(repeating: 1 << (precisionBits - 1), count: rowBytes)
        let low = Int(axis.first[row]) - firstRow, taps = Int(axis.count[row])
        for tap in 0..<taps {
            let weight = axis.weights[row * axis.kernelSize + tap]
            let input = rows + (low + tap) * rowBytes
            VectorKernels.accumulate(input, weight: weight, into: sums, rowBytes)
        }
        VectorKernels.clip8(sums, shift: Int32(precisionBits), into: output, rowBytes)
    }
}

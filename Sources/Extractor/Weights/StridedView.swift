/// A strided array view into a region of a checkpoint's bytes (a torch tensor over its storage,
/// or a numpy array over its raw buffer), checked and copied out as a C-order float32 tensor.
struct StridedView {
    /// The stored element type.
    let dtype: StorageDType
    /// Whether the stored byte order differs from the host's.
    let swapped: Bool
    /// The bytes of the whole storage inside the file.
    let region: Range<Int>
    /// The first element of the view, counted in elements from the start of the storage.
    let offset: Int
    /// The view's dimensions.
    let shape: [Int]
    /// Element steps per dimension.
    let strides: [Int]

    /// The C-order (row-major) strides of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step = step &* max(shape[axis], 1)
        }
        return strides
    }

    /// The element count of `shape`. - Throws: for negative or overflowing dimensions.
    static func elementCount(_ shape: [Int]) throws -> Int {
        var count = 1
        for size in shape {
            guard size >= 0 else { throw CheckpointFailure.malformed("negative dimension in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw CheckpointFailure.limitExceeded("shape \(shape) has too many elements") }
            count = product
        }
        return count
    }

    /// Copies the view out as float32 in C order.
    /// - Parameter bytes: the whole file.
    /// - Parameter budget: elements still allowed to be produced for this file; decremented.
    /// - Returns: the tensor with `shape`.
    /// - Throws: ``CheckpointFailure`` when the view reaches outside its storage or the budget.
    func materialise(_ bytes: [UInt8], budget: inout Int) throws -> WeightTensor {
        guard shape.count == strides.count else {
            throw CheckpointFailure.malformed("shape \(shape) and strides \(strides) differ in rank")
        }
        let count = try StridedView.elementCount(shape)
        guard count <= budget else {
            throw CheckpointFailure.limitExceeded("the tensors hold more elements than the file could store")
        }
        budget -= count
        guard count > 0 else { return WeightTensor(shape: shape, values: []) }
        guard offset >= 0, strides.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointFailure.malformed("negative offset or stride (offset \(offset), strides \(strides))")
        }
        var last = offset
        for (size, stride) in zip(shape, strides) {
            let (step, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflow2) = last.addingReportingOverflow(step)
            guard !overflow1, !overflow2 else { throw CheckpointFailure.malformed("tensor view overflows") }
            last = sum
        }
        guard region.lowerBound >= 0, region.upperBound <= bytes.count,
              last < region.count / dtype.width else {
            throw CheckpointFailure.malformed(
                "a tensor view of shape \(shape) at offset \(offset) reaches past its storage of \(region.count / dtype.width) elements")
        }
        let contiguous = zip(zip(shape, strides), StridedView.contiguousStrides(shape))
            .allSatisfy { pair, expected in pair.0 == 1 || pair.1 == expected }
        let values = try [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
            try bytes.withUnsafeBytes { raw in
                guard let start = raw.baseAddress, let target = buffer.baseAddress else {
                    throw CheckpointFailure.malformed("empty storage")
                }
                let base = start + region.lowerBound
                if contiguous {
                    dtype.convert(base + offset * dtype.width, count: count, swapped: swapped, into: target)
                } else {
                    gather(base, into: target, count: count)
                }
            }
            initialised = count
        }
        return WeightTensor(shape: shape, values: values)
    }

    /// Copies a non-contiguous view (e.g. a permuted convolution kernel) row by row: an odometer
    /// over the outer axes, a tight strided loop (or a bulk conversion) along the last axis.
    private func gather(_ base: UnsafeRawPointer, into target: UnsafeMutablePointer<Float>, count: Int) {
        // Drop unit axes and merge axes that step evenly into each other: a permuted 1×1 kernel
        // [out, in, 1, 1] becomes a plain 2-D transpose with a long inner loop.
        var shape: [Int] = []
        var strides: [Int] = []
        for (size, stride) in zip(self.shape, self.strides) where size != 1 {
            if let lastStride = strides.last, lastStride == stride * size, let lastSize = shape.last {
                shape[shape.count - 1] = lastSize * size
                strides[strides.count - 1] = stride
            } else {
                shape.append(size)
                strides.append(stride)
            }
        }
        let rank = shape.count
        guard rank > 0 else {
            dtype.convert(base + offset * dtype.width, count: 1, swapped: swapped, into: target)
            return
        }
        let inner = shape[rank - 1]
        let innerStride = strides[rank - 1]
        let width = dtype.width
        var index = [Int](repeating: 0, count: rank - 1)
        var position = offset
        var row = target
        for _ in 0..<(count / inner) {
            if innerStride == 1 {
                dtype.convert(base + position * width, count: inner, swapped: swapped, into: row)
            } else if dtype == .float32 && !swapped {
                for column in 0..<inner {
                    row[column] = (base + (position + column * innerStride) * 4).loadUnaligned(as: Float.self)
                }
            } else {
                for column in 0..<inner {
                    row[column] = dtype.element(base + (position + column * innerStride) * width, swapped: swapped)
                }
            }
            row += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                position += strides[axis]
                if index[axis] < shape[axis] { break }
                position -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

/// A pair of lengths along the two image axes.
package struct Extent: Equatable, Sendable {
    /// Along the height (rows).
    package var y: Int
    /// Along the width (columns).
    package var x: Int

    /// Different lengths per axis.
    package init(y: Int, x: Int) {
        self.y = y
        self.x = x
    }

    /// The same length on both axes.
    package init(_ both: Int) { self.init(y: both, x: both) }
}

/// Zero pixels added on each edge of an image before a window slides over it.
package struct Edges: Equatable, Sendable {
    /// Before the first row and column.
    package var leading: Extent
    /// After the last row and column.
    package var trailing: Extent

    /// Edges from the leading (top, left) and trailing (bottom, right) padding.
    /// - Parameters:
    ///   - leading: before the first row and column.
    ///   - trailing: after the last row and column.
    package init(leading: Extent, trailing: Extent) {
        self.leading = leading
        self.trailing = trailing
    }
}

/// How a convolution or pooling window treats the image border.
package enum Padding: Equatable, Sendable {
    /// The same number of zero pixels on every side (PyTorch `padding=p`; `0` is Keras VALID).
    case symmetric(Int)
    /// TensorFlow "SAME": output `ceil(in / stride)`, total padding
    /// `max((out − 1)·stride + span − in, 0)` with the odd pixel at the bottom/right
    /// (`span` is the dilated kernel size).
    case tensorflowSame
    /// Given edge by edge (e.g. a folded ONNX `Pad`).
    case explicit(Edges)
}

/// Where a sliding window (convolution or pooling) goes over one image: its size, step,
/// dilation and border padding. The output length per axis is
/// `(in + leading + trailing − span) / stride + 1` (rounded down), `span = (kernel − 1)·dilation + 1`.
package struct Window: Equatable, Sendable {
    /// Kernel size.
    package var kernel: Extent
    /// Step between windows.
    package var stride: Extent
    /// Distance between kernel taps (1: dense).
    package var dilation: Extent
    /// Border treatment.
    package var padding: Padding

    /// A window.
    /// - Parameters:
    ///   - kernel: kernel size.
    ///   - stride: step (default 1).
    ///   - dilation: tap distance (default 1).
    ///   - padding: border treatment (default none).
    package init(kernel: Extent, stride: Extent = Extent(1), dilation: Extent = Extent(1), padding: Padding = .symmetric(0)) {
        self.kernel = kernel
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
    }

    /// The kernel's extent on the image once dilated.
    var span: Extent {
        Extent(y: (kernel.y - 1) * dilation.y + 1, x: (kernel.x - 1) * dilation.x + 1)
    }

    /// The padding of an input of `size` pixels.
    /// - Parameter size: the input's height and width.
    /// - Returns: the edges.
    func edges(for size: Extent) -> Edges {
        switch padding {
        case .symmetric(let p):
            return Edges(leading: Extent(p), trailing: Extent(p))
        case .explicit(let edges):
            return edges
        case .tensorflowSame:
            func total(_ input: Int, _ stride: Int, _ span: Int) -> Int {
                let output = (input + stride - 1) / stride
                return max((output - 1) * stride + span - input, 0)
            }
            let (ty, tx) = (total(size.y, stride.y, span.y), total(size.x, stride.x, span.x))
            return Edges(leading: Extent(y: ty / 2, x: tx / 2), trailing: Extent(y: ty - ty / 2, x: tx - tx / 2))
        }
    }

    /// The output size for an input of `size` pixels, or nil when the window does not fit.
    /// - Parameter size: the input's height and width.
    /// - Returns: the output's height and width.
    func outputSize(for size: Extent) -> Extent? {
        let e = edges(for: size)
        let y = size.y + e.leading.y + e.trailing.y - span.y
        let x = size.x + e.leading.x + e.trailing.x - span.x
        guard y >= 0, x >= 0, stride.y > 0, stride.x > 0 else { return nil }
        return Extent(y: y / stride.y + 1, x: x / stride.x + 1)
    }
}

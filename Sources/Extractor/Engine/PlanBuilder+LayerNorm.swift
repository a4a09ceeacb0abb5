import CDNNL

/// Layer norms over channels.
extension PlanBuilder {
    /// A layer norm over channels as oneDNN's layer normalization, which normalises the last
    /// logical dimension: the map is read channels-last (`nhwc`, reordered into a buffer of its
    /// own when stored otherwise) and normalised in place there, seen as a plain `N×H×W×C`
    /// tensor; then reordered back into the layout it came in, so that its readers keep the
    /// blocked layout: oneDNN 2.6 runs a 7×7 depthwise convolution of a channels-last source and a
    /// residual add of mixed layouts with its reference loops (ConvNeXt-Tiny: 60 of 100 s), and a
    /// 1×1 convolution would reorder it anyway.
    mutating func layerNorm(_ norm: LayerNorm, _ x: Graph.Value, output: Graph.Value) throws {
        let s = shape(x)
        let original = try location(of: x).descriptor
        let channelsLast = try TensorDescriptor(dims(x), tag: dnnl_nhwc)
        let (source, temporary) = try readable(x, as: channelsLast)
        var data = try TensorDescriptor([batch, s.height, s.width, s.channels], tag: dnnl_abcd).raw
        var desc = dnnl_layer_normalization_desc_t()
        try DNNL.check(dnnl_layer_normalization_forward_desc_init(&desc, dnnl_forward_inference, &data, nil,
                                                                  norm.epsilon,
                                                                  dnnl_use_scale.rawValue | dnnl_use_shift.rawValue),
                       "describe a layer norm on \(s)")
        let primitive = try primitive(for: &desc, what: "a layer norm on \(s)")
        let pd = primitive.descriptor
        func vector(_ values: [Float], _ argument: Int32) throws -> (Int32, TensorDescriptor, Location) {
            let target = pd.descriptor(for: argument)
            return (argument, target, try constant(values, dims: [s.channels], tag: dnnl_x, as: target))
        }
        let normed: Location = temporary.map { .buffer($0) } ?? .buffer(newBuffer(channelsLast.byteCount))
        append(primitive, [
            (Int32(DNNL_ARG_SRC), pd.descriptor(for: Int32(DNNL_ARG_SRC)), source),
            try vector(norm.scale, Int32(DNNL_ARG_SCALE)),
            try vector(norm.shift, Int32(DNNL_ARG_SHIFT)),
            (Int32(DNNL_ARG_DST), pd.descriptor(for: Int32(DNNL_ARG_DST)), normed),
        ])
        guard original != channelsLast, case .buffer(let id) = normed else {
            stored[output] = Stored(descriptor: channelsLast, location: normed)
            return
        }
        append(try Self.reorder(from: channelsLast, to: original, attributes: Attributes()),
               [(Int32(DNNL_ARG_FROM), channelsLast, normed),
                (Int32(DNNL_ARG_TO), original, store(output, as: original))])
        freeBuffers.append(id)
    }
}

import Foundation
import XCTest
import Extractor
import SpotcheckTestSupport

/// The engine's operations beyond what the five backbones use, against PyTorch
/// (scripts/fixtures/engine_ops.py builds the same graph): asymmetric explicit padding, grouped
/// and dilated convolution, 5×5 stride-2 depthwise with TF-SAME padding, every activation,
/// fused and unfused residual adds, squeeze-excitation, a concatenation of channel counts that
/// are not multiples of 16, max and average pooling with padding, a standalone activation and
/// linear layers on a map and on a vector; (a second graph) per-channel affine maps, the
/// batch norms that cannot be folded; and (a third) layer norms over channels. Every output
/// within 1e-5 × its largest magnitude.
final class EngineOperationTests: XCTestCase {
    struct Tensor: Decodable {
        let shape: [Int]
        let values: [Float]
    }

    struct Reference: Decodable {
        let input: [Float]
        let inputShape: [Int]
        let weights: [String: Tensor]
        let featureMapShape: [Int]
        let featureMap: [Float]
        let features: [Float]
        let logits: [Float]

        enum CodingKeys: String, CodingKey {
            case input, weights, features, logits
            case inputShape = "input_shape"
            case featureMapShape = "feature_map_shape"
            case featureMap = "feature_map"
        }
    }

    /// The reference's `fc` layer.
    private func fc(_ r: Reference) throws -> Linear {
        let weight = try XCTUnwrap(r.weights["fc.weight"])
        return Linear(inputs: weight.shape[1], outputs: weight.shape[0], weights: weight.values,
                      bias: try XCTUnwrap(r.weights["fc.bias"]).values)
    }

    private func load(_ file: String = "ops.json") throws -> Reference {
        let url = try BackboneReference.fixtureURL(file, folder: "engine")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// The graph of engine_ops.py, built with the engine's builder.
    private func graph(_ r: Reference) throws -> Graph {
        func conv(_ name: String, groups: Int = 1, window: (Extent) -> Window) throws -> Convolution {
            let w = try XCTUnwrap(r.weights["\(name).weight"])
            let b = try XCTUnwrap(r.weights["\(name).bias"])
            return Convolution(inputChannels: w.shape[1] * groups, outputChannels: w.shape[0], groups: groups,
                               window: window(Extent(y: w.shape[2], x: w.shape[3])), weights: w.values,
                               bias: b.values)
        }
        func linear(_ name: String) throws -> Linear {
            let w = try XCTUnwrap(r.weights["\(name).weight"])
            return Linear(inputs: w.shape[1], outputs: w.shape[0], weights: w.values,
                          bias: try XCTUnwrap(r.weights["\(name).bias"]).values)
        }
        var g = Graph(input: FeatureShape(channels: r.inputShape[1], height: r.inputShape[2], width: r.inputShape[3]))
        let stemPadding = Edges(leading: Extent(y: 1, x: 0), trailing: Extent(y: 2, x: 1))
        let a = g.activation(try g.convolution(g.input, conv("stem") { Window(kernel: $0, padding: .explicit(stemPadding)) }),
                             .relu)
        let b = g.activation(try g.convolution(a, conv("grouped", groups: 2) {
            Window(kernel: $0, dilation: Extent(2), padding: .symmetric(2))
        }), .hardSwish)
        let c = g.activation(try g.convolution(b, conv("depthwise", groups: 8) {
            Window(kernel: $0, stride: Extent(2), padding: .tensorflowSame)
        }), .silu)
        let d = try g.convolution(c, conv("left") { Window(kernel: $0) })
        let e = try g.convolution(c, conv("right") { Window(kernel: $0, padding: .symmetric(1)) })
        let s = g.activation(try g.add(d, e), .clip(lower: -1, upper: 2))
        var gate = g.globalAveragePool(s)
        gate = g.activation(try g.convolution(gate, conv("se_reduce") { Window(kernel: $0) }), .silu)
        gate = g.activation(try g.convolution(gate, conv("se_expand") { Window(kernel: $0) }), .sigmoid)
        let scaled = try g.scale(s, by: gate)
        let side = try g.convolution(c, conv("side") { Window(kernel: $0) })
        let cat = g.activation(try g.concat([scaled, c, side]), .clip(lower: -0.5, upper: 1.5))
        let window = Window(kernel: Extent(3), padding: .symmetric(1))
        let p = try g.pool(cat, Pooling(kind: .average(countsPadding: false), window: window))
        let q = try g.pool(cat, Pooling(kind: .average(countsPadding: true), window: window))
        let m = g.activation(g.activation(try g.add(p, q), .gelu), .sigmoid)
        let map = try g.pool(m, Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2),
                                                                   padding: .symmetric(1))))
        g.setOutput(.featureMap, map)
        g.setOutput(.features, g.globalAveragePool(map))
        let hidden = g.activation(try g.linear(map, linear("fc1")), .silu)
        g.setOutput(.logits, try g.linear(hidden, linear("fc2")))
        return g
    }

    private func assertClose(_ got: [Float], _ expected: [Float], _ label: String) {
        XCTAssertEqual(got.count, expected.count, label)
        let scale = max(expected.map(abs).max() ?? 1, 1e-3)
        let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(label): max |diff| \(worst) (scale \(scale))")
    }

    /// Runs the reference's input batch through `network`, every output, on two threads (the
    /// two images side by side, one per lane; rows land by image index).
    private func run(_ network: CompiledNetwork, _ r: Reference) throws -> [Graph.Output: [Float]] {
        let batch = r.inputShape[0]
        var outputs: [Graph.Output: [Float]] = [:]
        try r.input.withUnsafeBufferPointer { input in
            try network.run(try XCTUnwrap(input.baseAddress), count: batch, outputs: [.featureMap, .features, .logits]) {
                first, count, exports in
                for (output, export) in exports {
                    var rows = outputs[output] ?? [Float](repeating: .nan, count: batch * export.perImage)
                    for (offset, value) in UnsafeBufferPointer(start: export.pointer, count: count * export.perImage).enumerated() {
                        rows[first * export.perImage + offset] = value
                    }
                    outputs[output] = rows
                }
            }
        }
        return outputs
    }

    func testEveryOperationMatchesPyTorch() throws {
        let r = try load()
        let g = try graph(r)
        XCTAssertEqual([r.inputShape[0]] + [g.shape(try XCTUnwrap(g.outputs[.featureMap]))].flatMap {
            [$0.channels, $0.height, $0.width]
        }, r.featureMapShape)
        let network = try CompiledNetwork(g, threads: 2)
        let outputs = try run(network, r)
        let batch = r.inputShape[0]
        assertClose(outputs[.featureMap] ?? [], r.featureMap, "feature map")
        assertClose(outputs[.features] ?? [], r.features, "features")
        assertClose(outputs[.logits] ?? [], r.logits, "logits")
        // One image alone runs through a plan of its own and must give that image's rows.
        let perImage = r.input.count / batch
        var second: [Float] = []
        try Array(r.input[perImage...]).withUnsafeBufferPointer { input in
            try network.run(try XCTUnwrap(input.baseAddress), count: 1, outputs: [.logits]) { _, _, exports in
                second = Array(UnsafeBufferPointer(start: exports[.logits]?.pointer, count: exports[.logits]?.perImage ?? 0))
            }
        }
        assertClose(second, Array(r.logits[(r.logits.count / batch)...]), "logits of image 2 alone")
    }

    /// The affine graph of engine_ops.py: batch norms that cannot be folded, as per-channel
    /// affine maps (γ/√(σ² + ε), β − μ·γ/√(σ² + ε)).
    private func affineGraph(_ r: Reference) throws -> Graph {
        func conv(_ name: String, padding: Int = 0) throws -> Convolution {
            let w = try XCTUnwrap(r.weights["\(name).weight"])
            return Convolution(inputChannels: w.shape[1], outputChannels: w.shape[0], groups: 1,
                               window: Window(kernel: Extent(w.shape[2]), padding: .symmetric(padding)),
                               weights: w.values, bias: try XCTUnwrap(r.weights["\(name).bias"]).values)
        }
        func norm(_ name: String) throws -> Affine {
            func vector(_ part: String) throws -> [Double] { try XCTUnwrap(r.weights["\(name).\(part)"]).values.map(Double.init) }
            let (gamma, beta, mean, variance) = (try vector("weight"), try vector("bias"), try vector("running_mean"),
                                                 try vector("running_var"))
            let scale = gamma.indices.map { gamma[$0] / (variance[$0] + 1e-5).squareRoot() }
            return Affine(scale: scale.map(Float.init), shift: beta.indices.map { Float(beta[$0] - mean[$0] * scale[$0]) })
        }
        var g = Graph(input: FeatureShape(channels: r.inputShape[1], height: r.inputShape[2], width: r.inputShape[3]))
        let stem = g.activation(try g.convolution(g.input, conv("stem", padding: 1)), .relu)
        let side = try g.convolution(stem, conv("side"))
        let normed = g.activation(try g.affine(try g.concat([stem, side]), norm("norm1")), .relu)
        let c1 = try g.convolution(normed, conv("conv1"))
        let m = g.activation(g.activation(try g.affine(c1, norm("norm2")), .silu), .clip(lower: -0.5, upper: 1))
        let map = try g.pool(try g.affine(m, norm("norm3")),
                             Pooling(kind: .average(countsPadding: true), window: Window(kernel: Extent(2), stride: Extent(2))))
        g.setOutput(.featureMap, map)
        g.setOutput(.features, g.globalAveragePool(map))
        g.setOutput(.logits, try g.linear(map, try fc(r)))
        return g
    }

    func testUnfoldedBatchNormsMatchPyTorch() throws {
        let r = try load("affine.json")
        let g = try affineGraph(r)
        let network = try CompiledNetwork(g, threads: 2)
        // The affine maps run as their own steps, a ReLU right after one fused in.
        let affineSteps = try Schedule(ConcatSplitting.rewrite(g)).steps.compactMap { step -> Bool? in
            if case .affine(_, let relu) = step.kind { return relu }
            return nil
        }
        XCTAssertEqual(affineSteps, [true, false, false])
        let outputs = try run(network, r)
        assertClose(outputs[.featureMap] ?? [], r.featureMap, "feature map")
        assertClose(outputs[.features] ?? [], r.features, "features")
        assertClose(outputs[.logits] ?? [], r.logits, "logits")
        var small = Graph(input: FeatureShape(channels: 3, height: 4, width: 4))
        XCTAssertThrowsError(try small.affine(small.input, Affine(scale: [1, 1], shift: [0, 0]))) { error in
            XCTAssertTrue("\(error)".contains("2 scales"), "\(error)")
        }
    }

    /// The layer-norm graph of engine_ops.py: ConvNeXt's layer norm over channels on a blocked
    /// map of 16 channels far from zero mean, on 20 channels read by a depthwise 7×7 convolution
    /// and a residual add, and on a global average before a linear layer.
    private func layerNormGraph(_ r: Reference) throws -> Graph {
        func conv(_ name: String, groups: Int = 1, stride: Int = 1, padding: Int = 0) throws -> Convolution {
            let w = try XCTUnwrap(r.weights["\(name).weight"])
            return Convolution(inputChannels: w.shape[1] * groups, outputChannels: w.shape[0], groups: groups,
                               window: Window(kernel: Extent(w.shape[2]), stride: Extent(stride), padding: .symmetric(padding)),
                               weights: w.values, bias: try XCTUnwrap(r.weights["\(name).bias"]).values)
        }
        func norm(_ name: String) throws -> LayerNorm {
            LayerNorm(scale: try XCTUnwrap(r.weights["\(name).weight"]).values,
                      shift: try XCTUnwrap(r.weights["\(name).bias"]).values, epsilon: 1e-6)
        }
        var g = Graph(input: FeatureShape(channels: r.inputShape[1], height: r.inputShape[2], width: r.inputShape[3]))
        let stem = try g.convolution(g.input, conv("stem", stride: 2, padding: 1))
        let b = g.activation(try g.convolution(try g.layerNorm(stem, norm("norm1")), conv("expand")), .gelu)
        let map = try g.add(try g.convolution(try g.layerNorm(b, norm("norm2")), conv("dw", groups: 20, padding: 3)), b)
        g.setOutput(.featureMap, map)
        let features = try g.layerNorm(g.globalAveragePool(map), norm("norm3"))
        g.setOutput(.features, features)
        g.setOutput(.logits, try g.linear(features, try fc(r)))
        return g
    }

    func testLayerNormsOverChannelsMatchPyTorch() throws {
        let r = try load("layer_norm.json")
        let network = try CompiledNetwork(try layerNormGraph(r), threads: 2)
        let outputs = try run(network, r)
        assertClose(outputs[.featureMap] ?? [], r.featureMap, "feature map")
        assertClose(outputs[.features] ?? [], r.features, "features")
        assertClose(outputs[.logits] ?? [], r.logits, "logits")
        var small = Graph(input: FeatureShape(channels: 3, height: 4, width: 4))
        XCTAssertThrowsError(try small.layerNorm(small.input, LayerNorm(scale: [1, 1], shift: [0, 0], epsilon: 1e-6))) {
            error in XCTAssertTrue("\(error)".contains("2 scales"), "\(error)")
        }
        XCTAssertThrowsError(try small.layerNorm(small.input, LayerNorm(scale: [1, 1, 1], shift: [0, 0, 0], epsilon: -1)))
    }

    /// The global average of a large map keeps float32 precision: 32 channels of 300×300 values in
    /// [0.5, 1.5) (EfficientNet-B7's first squeeze-excitation map), left by a convolution in its
    /// blocked layout, averaged within 2e-6 of the float64 mean. Adding all 90,000 values into one
    /// float32 sum, as a single oneDNN pooling window does, is off by up to 1.5e-5 on these values
    /// (and moved EfficientNet-B6's features by 3.4e-4); rows, then their means, by 6e-7.
    func testGlobalAveragesOfLargeMapsKeepFloat32Precision() throws {
        let (channels, side) = (32, 300)
        var g = Graph(input: FeatureShape(channels: channels, height: side, width: side))
        let identity = (0..<channels * channels).map { Float($0 / channels == $0 % channels ? 1 : 0) }
        let map = try g.convolution(g.input, Convolution(
            inputChannels: channels, outputChannels: channels, groups: 1, window: Window(kernel: Extent(1)),
            weights: identity, bias: [Float](repeating: 0, count: channels)))
        g.setOutput(.featureMap, map)
        g.setOutput(.features, g.globalAveragePool(map))
        let network = try CompiledNetwork(g, threads: 2)
        let input = SeededWeights.values(key: "map.weight", shape: [channels * side * side])  // [0.5, 1.5)
        var means: [Float] = []
        try input.withUnsafeBufferPointer { pointer in
            try network.run(try XCTUnwrap(pointer.baseAddress), count: 1, outputs: [.features]) { _, _, exports in
                means = Array(UnsafeBufferPointer(start: exports[.features]?.pointer, count: exports[.features]?.perImage ?? 0))
            }
        }
        XCTAssertEqual(means.count, channels)
        for c in 0..<min(means.count, channels) {
            let plane = input[(c * side * side)..<((c + 1) * side * side)]
            let exact = plane.reduce(0.0) { $0 + Double($1) } / Double(side * side)
            XCTAssertEqual(Double(means[c]), exact, accuracy: 2e-6 * exact, "channel \(c)")
        }
    }

    func testShapeErrorsAreReportedWhenTheGraphIsBuilt() throws {
        var g = Graph(input: FeatureShape(channels: 3, height: 8, width: 8))
        let wrongChannels = Convolution(inputChannels: 4, outputChannels: 2, groups: 1, window: Window(kernel: Extent(1)),
                                        weights: [Float](repeating: 0, count: 8), bias: [])
        XCTAssertThrowsError(try g.convolution(g.input, wrongChannels)) { error in
            XCTAssertTrue("\(error)".contains("4 channels"), "\(error)")
        }
        let tooLarge = Pooling(kind: .max, window: Window(kernel: Extent(9)))
        XCTAssertThrowsError(try g.pool(g.input, tooLarge)) { error in
            XCTAssertTrue("\(error)".contains("does not fit"), "\(error)")
        }
        let vector = g.globalAveragePool(g.input)
        XCTAssertThrowsError(try g.add(g.input, vector))
        XCTAssertThrowsError(try g.concat([g.input]))
        // A graph without its outputs cannot be compiled.
        XCTAssertThrowsError(try CompiledNetwork(g, threads: 1)) { error in
            XCTAssertEqual(error as? EngineError, .invalidGraph("the featureMap output is not set"))
        }
    }
}

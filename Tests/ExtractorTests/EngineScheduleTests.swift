import XCTest
import Extractor

/// The fusions that make the engine fast, on small graphs (the numbers they compute are checked
/// against PyTorch in EngineOperationTests and BackboneNetworkTests).
final class EngineScheduleTests: XCTestCase {
    private func conv(_ inputs: Int, _ outputs: Int, kernel: Int = 1, stride: Int = 1, groups: Int = 1,
                      padding: Padding = .symmetric(0)) -> Convolution {
        Convolution(inputChannels: inputs, outputChannels: outputs, groups: groups,
                    window: Window(kernel: Extent(kernel), stride: Extent(stride), padding: padding),
                    weights: [Float](repeating: 0.01, count: outputs * inputs / groups * kernel * kernel), bias: [])
    }

    private func finish(_ g: inout Graph, _ map: Graph.Value) {
        g.setOutput(.featureMap, map)
        let pooled = g.globalAveragePool(map)
        g.setOutput(.features, pooled)
        g.setOutput(.logits, pooled)
    }

    /// An inverted residual block: stem, expand 1×1 + ReLU6, depthwise 3×3 + ReLU6, project 1×1,
    /// residual add — four nodes of the block become two primitives.
    func testInvertedResidualFusesDepthwiseAndTheResidualSum() throws {
        var g = Graph(input: FeatureShape(channels: 3, height: 16, width: 16))
        let stem = g.activation(try g.convolution(g.input, conv(3, 16, kernel: 3, padding: .symmetric(1))), .relu6)
        let expanded = g.activation(try g.convolution(stem, conv(16, 96)), .relu6)
        let depthwise = g.activation(try g.convolution(expanded, conv(96, 96, kernel: 3, groups: 96,
                                                                      padding: .symmetric(1))), .relu6)
        let projected = try g.convolution(depthwise, conv(96, 16))
        finish(&g, try g.add(projected, stem))
        let steps = try Schedule(g).steps
        XCTAssertEqual(steps.count, 3 + 1, "stem, fused expand+depthwise, project+sum, pooling")
        guard case .convolution(_, let stemOps, nil) = steps[0].kind,
              case .convolution(_, let expandOps, let fused?) = steps[1].kind,
              case .convolution(_, let projectOps, nil) = steps[2].kind else {
            return XCTFail("unexpected steps \(steps.map(\.kind))")
        }
        XCTAssertEqual(stemOps, [.activation(.relu6)])
        XCTAssertEqual(expandOps, [.activation(.relu6)])
        XCTAssertEqual(fused.activations, [.relu6])
        XCTAssertEqual(projectOps, [.sum(stem)], "the residual add writes onto the stem's output")
        XCTAssertEqual(steps[2].reads, [depthwise, stem])
    }

    /// What must not fuse: a TF-SAME stride-2 depthwise (no leading padding), an add whose other
    /// operand is read again later, a value that is a graph output, and the caller's input.
    func testFusionStopsWhereItWouldChangeTheResult() throws {
        var g = Graph(input: FeatureShape(channels: 16, height: 16, width: 16))
        let expanded = g.activation(try g.convolution(g.input, conv(16, 32)), .relu6)
        let strided = try g.convolution(expanded, conv(32, 32, kernel: 3, stride: 2, groups: 32, padding: .tensorflowSame))
        let a = try g.convolution(strided, conv(32, 32))
        let b = try g.convolution(strided, conv(32, 32))
        let sum = g.activation(try g.add(a, b), .relu)
        let later = try g.add(sum, b)
        let onInput = try g.add(try g.convolution(g.input, conv(16, 16)), g.input)   // the input is never written
        g.setOutput(.featureMap, later)
        g.setOutput(.features, g.globalAveragePool(later))
        g.setOutput(.logits, g.globalAveragePool(onInput))
        let steps = try Schedule(g).steps
        guard case .convolution(_, _, nil) = steps[0].kind else { return XCTFail("depthwise fused: \(steps[0].kind)") }
        // a + b: b is made after a (a's convolution cannot add it) and read again later (b's
        // convolution cannot write the sum over it): a binary add, with the ReLU absorbed.
        let adds = steps.compactMap { step -> ([Graph.Value], [Activation])? in
            if case .add(let activations) = step.kind { return (step.inputs, activations) } else { return nil }
        }
        let onInputConvolution = try XCTUnwrap(steps.last { step in
            if case .convolution = step.kind { return step.inputs == [g.input] } else { return false }
        }?.output)
        XCTAssertEqual(adds.map(\.0), [[a, b], [sum, b], [onInputConvolution, g.input]])
        XCTAssertEqual(adds.map(\.1), [[.relu], [], []])
        // Only what an output needs runs for it.
        XCTAssertEqual(steps.filter { $0.neededBy == [.logits] }.count, 3)
    }

    /// SqueezeNet's pattern: a concatenation read by a pooling layer and a convolution leaves no
    /// concatenation behind; one that is a graph output is made once, for that output alone.
    func testConcatenationsMovePastTheirReaders() throws {
        var g = Graph(input: FeatureShape(channels: 8, height: 16, width: 16))
        let left = g.activation(try g.convolution(g.input, conv(8, 16)), .relu)
        let right = g.activation(try g.convolution(g.input, conv(8, 16, kernel: 3, padding: .symmetric(1))), .relu)
        let pooled = try g.pool(try g.concat([left, right]), Pooling(kind: .max, window: Window(kernel: Extent(3), stride: Extent(2))))
        let squeezed = g.activation(try g.convolution(pooled, conv(32, 8)), .relu)
        let map = try g.concat([squeezed, squeezed])
        finish(&g, map)
        let rewritten = try ConcatSplitting.rewrite(g)
        let concats = rewritten.nodes.filter { if case .concat = $0.operation { return true } else { return false } }
        XCTAssertEqual(concats.count, 2, "the feature map and its pooled features, nothing else")
        XCTAssertEqual(rewritten.flops, g.flops)
        XCTAssertEqual(rewritten.outputs.mapValues { rewritten.shape($0) }, g.outputs.mapValues { g.shape($0) })
        let steps = try Schedule(rewritten).steps
        let concatSteps = steps.filter { if case .concat = $0.kind { return true } else { return false } }
        XCTAssertEqual(concatSteps.map(\.neededBy), [[.featureMap], [.features, .logits]])
    }
}

/// How many images a lane runs per plan: as many (up to 4) as keep the largest layer's input and
/// output within the lane's share of the last-level cache; 8 for networks of dense convolutions only.
final class EngineChunkTests: XCTestCase {
    func testNetworksOfDenseConvolutionsOnlyRunEightImagesPerPlan() throws {
        // ResNet v1.5 (sums and ReLUs fused into the convolutions) and VGG (with its batch norms
        // folded) are dense; DenseNet (standalone batch norms, concatenations), the EfficientNets
        // and MobileNets (depthwise) and SqueezeNet (concatenations) are not.
        for (name, dense) in [("resnet50", true), ("resnet18", true), ("vgg16", true), ("vgg11_bn", true),
                              ("densenet121", false), ("efficientnet_b0", false), ("convnext_tiny", false),
                              ("mobilenet_v3_small", false)] {
            let network = try TorchvisionReference.seededBackbone(name).network
            XCTAssertEqual(network.isDense, dense, name)
            if dense {
                XCTAssertEqual(network.chunk(lanes: 2, cacheBytes: 32 << 20), 8, name)
                XCTAssertEqual(network.chunk(lanes: 64, cacheBytes: 1 << 20), 8, name)
            }
        }
        XCTAssertFalse(try loadBackboneOrSkip("squeezenet1_1").network.isDense)
    }

    func testChunksFollowTheLargestLayerAndTheCacheShare() throws {
        let megabyte = 1 << 20
        // Two lanes on a 32 MiB cache (the development machine): the EfficientNets' 96-channel
        // expansions at full resolution allow 2 images, SqueezeNet's conv1 allows 4.
        for (name, expected) in [("efficientnet_lite0", 2), ("efficientnet_lite2", 2), ("squeezenet1_1", 4)] {
            let network = try loadBackboneOrSkip(name).network
            XCTAssertEqual(network.chunk(lanes: 2, cacheBytes: 32 * megabyte), expected, name)
            XCTAssertEqual(network.chunk(lanes: 64, cacheBytes: 32 * megabyte), 1, "\(name): never below one image")
            XCTAssertEqual(network.chunk(lanes: 1, cacheBytes: 1024 * megabyte), 4, "\(name): never above four")
        }
    }

    func testCacheSizesParseLikeSysfs() {
        XCTAssertEqual(LastLevelCache.parse("32768K"), 32 << 20)
        XCTAssertEqual(LastLevelCache.parse("8M"), 8 << 20)
        XCTAssertEqual(LastLevelCache.parse("4096"), 4096)
        XCTAssertNil(LastLevelCache.parse("lots"))
        XCTAssertNil(LastLevelCache.parse(""))
        XCTAssertNil(LastLevelCache.parse("99999999999999999999G"))
        XCTAssertGreaterThan(LastLevelCache.bytes, 0)
    }
}

import Extractor
import LinearAlgebra
import XCTest

/// Feature layouts: shapes, the documented channel-major order, and grid cells against averages
/// computed by hand from the feature maps (which BackboneNetworkTests checks against PyTorch).
final class FeatureLayoutTests: XCTestCase {
    func testNamesParseAndPrint() throws {
        XCTAssertEqual(try FeatureLayout(parsing: "avg"), .average)
        XCTAssertEqual(try FeatureLayout(parsing: "grid"), .grid(2))
        XCTAssertEqual(try FeatureLayout(parsing: "grid3"), .grid(3))
        XCTAssertEqual(try FeatureLayout(parsing: "FLAT"), .flat)
        XCTAssertEqual([FeatureLayout.average, .grid(2), .grid(3), .flat].map(\.name), ["avg", "grid2", "grid3", "flat"])
        for bad in ["grid0", "grid17", "gridx", "max", ""] {
            XCTAssertThrowsError(try FeatureLayout(parsing: bad), bad) { error in
                XCTAssertTrue("\(error)".contains("avg"), "the error lists the layouts: \(error)")
            }
        }
    }

    func testDimensionsOfTheFiveBackbones() throws {
        let expected: [String: (avg: Int, grid2: Int, flat: Int)] = [
            "mobilenet_v2": (1280, 5120, 62_720), "efficientnet_lite0": (1280, 5120, 62_720),
            "efficientnet_lite1": (1280, 5120, 81_920), "efficientnet_lite2": (1280, 5120, 103_680),
            "squeezenet1_1": (512, 2048, 86_528),
        ]
        for (name, dims) in expected {
            let shape = try loadBackboneOrSkip(name).featureMapShape
            XCTAssertEqual([FeatureLayout.average, .grid(2), .flat].map { $0.dimension(for: shape) },
                           [dims.avg, dims.grid2, dims.flat], name)
        }
    }

    /// MobileNetV2's 7×7 map in a 2×2 grid (overlapping cells, rows 0..<4 and 3..<7, as PyTorch's
    /// adaptive pooling) and SqueezeNet's 13×13 map in a 3×3 grid.
    func testGridCellsAreHandComputedAveragesInChannelMajorOrder() throws {
        for (name, side) in [("mobilenet_v2", 2), ("squeezenet1_1", 3)] {
            let reference = try BackboneReference.load(name)
            let backbone = try loadBackboneOrSkip(name)
            let batch = try reference.batch(backbone.descriptor.preprocessing)
            let maps = try backbone.featureMaps(batch: batch)
            let grid = try backbone.features(batch: batch, layout: .grid(side))
            let flat = try backbone.features(batch: batch, layout: .flat)
            let average = try backbone.features(batch: batch, layout: .average)
            let shape = backbone.featureMapShape
            XCTAssertEqual(grid.columns, shape.channels * side * side)
            XCTAssertEqual(flat.values, maps.values, "\(name): flat is the map in NCHW order")
            XCTAssertEqual(average.values, try backbone.features(batch: batch).values)
            let cells = (0..<side).map { i in (i * shape.height / side)..<Int((Double((i + 1) * shape.height) / Double(side)).rounded(.up)) }
            if name == "mobilenet_v2" { XCTAssertEqual(cells, [0..<4, 3..<7]) }
            for image in 0..<batch.count {
                for channel in [0, 1, shape.channels / 2, shape.channels - 1] {
                    let plane = maps.values[((image * shape.channels + channel) * shape.planeSize)...]
                    for a in 0..<side {
                        for b in 0..<side {
                            var sum = 0.0
                            for y in cells[a] {
                                for x in cells[b] { sum += Double(plane[plane.startIndex + y * shape.width + x]) }
                            }
                            let expected = sum / Double(cells[a].count * cells[b].count)
                            XCTAssertEqual(Double(grid[image, (channel * side + a) * side + b]), expected,
                                           accuracy: 1e-5 * max(1, abs(expected)), "\(name) image \(image) c\(channel) (\(a),\(b))")
                        }
                    }
                }
            }
            // One pass for several layouts gives each layout's own rows.
            let together = try backbone.features(batch: batch, layouts: [.average, .grid(side), .flat])
            XCTAssertEqual(together.map(\.values), [average.values, grid.values, flat.values], name)
            // A 1×1 grid is the global average.
            let one = try backbone.features(batch: batch, layout: .grid(1))
            for (g, a) in zip(one.values, average.values) { XCTAssertEqual(g, a, accuracy: 1e-5 * max(1, abs(a))) }
        }
    }
}

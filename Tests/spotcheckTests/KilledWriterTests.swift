import FeatureStore
import Foundation
import LinearAlgebra
import SpotcheckTestSupport
import XCTest

/// A store whose writing process is killed with SIGKILL resumes from its last durable row.
///
/// The writer is `spotcheck-bench store`, which writes seeded rows whose label is `row % 10` and
/// whose path is `class_{row % 10}/image_{row}.png`, in blocks of 1,000 rows.
final class KilledWriterTests: XCTestCase {
    func testStoreResumesAfterTheWriterIsKilled() throws {
        let bench = try builtExecutable("spotcheck-bench")
        let directory = try scratchDirectory(self)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bench)
        process.arguments = ["store", "--rows", "400000", "--dim", "64", "--repeats", "1",
                             "--csv-rows", "10", "--directory", directory.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let store = directory.appendingPathComponent("spotcheck-bench-\(process.processIdentifier)/bench.h5")
        let partial = FeatureStoreWriter.partialURL(for: store).path

        // Kill it once a few blocks are on disk (each block of 1,000 × 64 floats is 256 kB).
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0
            if size > 3 << 20 { break }
            usleep(1000)
        }
        XCTAssertTrue(process.isRunning, "the writer finished or stalled before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let point = try XCTUnwrap(FeatureStoreWriter.resumePoint(for: store))
        XCTAssertGreaterThanOrEqual(point.rowCount, 3000)
        XCTAssertLessThan(point.rowCount, 400_000)
        XCTAssertEqual(point.rowCount % 1000, 0, "durable rows come in whole blocks")
        XCTAssertEqual(point.paths, (0..<point.rowCount).map { "class_\($0 % 10)/image_\($0).png" })
        XCTAssertEqual(point.attributes.extractor, "bench")

        let writer = try FeatureStoreWriter(resuming: store)
        let extra = Matrix(rows: 5, columns: 64, values: (0..<320).map { Float($0) / 7 })
        try writer.append(features: extra, labels: [0, 1, 2, 3, 4], paths: (0..<5).map { "extra_\($0).png" })
        try writer.finish()

        let reader = try FeatureStoreReader(url: store)
        XCTAssertEqual(reader.rowCount, point.rowCount + 5)
        XCTAssertEqual(try reader.labels(), (0..<point.rowCount).map { $0 % 10 } + [0, 1, 2, 3, 4])
        try reader.forEachBatch(size: 4096) { batch in
            let durable = batch.rows.clamped(to: 0..<point.rowCount)
            let values = batch.features.values.prefix(durable.count * 64)
            XCTAssertTrue(values.allSatisfy { $0 >= -4 && $0 <= 4 }, "rows \(durable) hold values the writer never wrote")
        }
        XCTAssertEqual(try reader.readRows(point.rowCount ..< point.rowCount + 5).features, extra)
    }
}

import FeatureStore
import Foundation
import SpotcheckTestSupport
import XCTest

/// `CSVFloatReader`: exact float parsing (against exact rational rounding by
/// scripts/fixtures/csv_reader_fixtures.py), the header, gzip, chunking and every malformed row.
final class CSVFloatReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try scratchDirectory(self, prefix: "csv")
    }

    private func fixture(_ name: String) throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/csv/\(name)", withExtension: nil)).path
    }

    private func file(_ text: String, _ name: String = "data.csv") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func readAll(_ reader: CSVFloatReader) throws -> [(String, [Float])] {
        var row: [Float] = []
        var rows: [(String, [Float])] = []
        while let label = try reader.readRow(into: &row) { rows.append((label, row)) }
        return rows
    }

    /// Every decimal in the fixture parses to the correctly rounded float32, bit for bit —
    /// shortest and 17-digit prints, exponents, subnormals, halfway and near-halfway cases.
    func testFloatsAreCorrectlyRounded() throws {
        let reader = try CSVFloatReader(path: fixture("floats.csv"))
        var row: [Float] = []
        var checked = 0
        while let label = try reader.readRow(into: &row) {
            let expected = try XCTUnwrap(UInt32(label, radix: 16))
            XCTAssertEqual(String(row[0].bitPattern, radix: 16), String(expected, radix: 16),
                           "line \(checked + 2) of floats.csv")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 2000)
    }

    func testTargetAnywhereStringLabelsQuotesBOMAndCRLF() throws {
        let path = try file("\u{FEFF}\"a\", \"kind\" ,b\r\n1, rose ,2\r\n-3.5,\"7\",4e1\r\n")
        let reader = try CSVFloatReader(path: path, target: "kind")
        XCTAssertEqual(reader.header, ["a", "kind", "b"])
        XCTAssertEqual(reader.featureNames, ["a", "b"])
        XCTAssertEqual(reader.targetColumn, 1)
        let rows = try readAll(reader)
        XCTAssertEqual(rows.map(\.0), ["rose", "7"])
        XCTAssertEqual(rows.map(\.1), [[1, 2], [-3.5, 40]])
    }

    func testGzipInputAndCorruptGzip() throws {
        let reader = try CSVFloatReader(path: fixture("small.csv.gz"), target: "label")
        let rows = try readAll(reader)
        XCTAssertEqual(rows.map(\.0), ["cat", "dog", "cat"])
        XCTAssertEqual(rows.map(\.1), [[1.5, -2], [0.25, 300], [7, 0]])
        XCTAssertThrowsError(try readAll(CSVFloatReader(path: fixture("truncated.gz"), target: "label"))) { error in
            guard case .corruptGzip = (error as? CSVReadError)?.kind else { return XCTFail("\(error)") }
        }
    }

    /// Lines longer than the read chunk, and lines split across chunks, read the same as with
    /// one big buffer.
    func testSmallChunksGiveTheSameRows() throws {
        var text = "class," + (0..<300).map { "f\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<40 {
            text += "c\(r % 3)," + (0..<300).map { "\(Float(r * 300 + $0) / 7)" }.joined(separator: ",") + "\n"
        }
        let path = try file(text)
        let big = try readAll(CSVFloatReader(path: path))
        let small = try readAll(CSVFloatReader(path: path, chunkSize: 4096))
        XCTAssertEqual(big.count, 40)
        XCTAssertEqual(big.map(\.0), small.map(\.0))
        XCTAssertEqual(big.map(\.1), small.map(\.1))
        XCTAssertEqual(big[39].1[299], Float(39 * 300 + 299) / 7)
    }

    func testFileLevelErrors() throws {
        func kind(_ body: () throws -> Void) -> CSVReadError.Kind? {
            do { try body() } catch let error as CSVReadError { return error.kind } catch { return nil }
            return nil
        }
        XCTAssertEqual(kind { _ = try CSVFloatReader(path: try file("")) }, .missingHeader)
        XCTAssertEqual(kind { _ = try CSVFloatReader(path: try file("\n1,2\n")) }, .missingHeader)
        XCTAssertEqual(kind { _ = try CSVFloatReader(path: try file("a,b\n1,2\n")) },
                       .targetNotFound(target: "class", header: ["a", "b"]))
        XCTAssertEqual(kind { _ = try CSVFloatReader(path: try file("class\nx\n")) }, .noFeatureColumns)
        guard case .unreadable = kind({ _ = try CSVFloatReader(path: directory.appendingPathComponent("none.csv").path) })
        else { return XCTFail("a missing file is unreadable") }
    }

    /// Each malformed-row class names file, line and column, and is skipped and counted in
    /// skip mode while the good rows around it are kept.
    func testMalformedRowsNameLineAndColumn() throws {
        let cases: [(String, Int, Int, CSVReadError.Kind)] = [
            ("1,a,2,5", 3, 4, .wrongColumnCount(expected: 3, found: 4)),
            ("1,a", 3, 3, .wrongColumnCount(expected: 3, found: 2)),
            ("1.5x,a,2", 3, 1, .nonNumeric(text: "1.5x")),
            ("1,a,", 3, 3, .nonNumeric(text: "")),
            ("1,a,1e", 3, 3, .nonNumeric(text: "1e")),
            ("NaN,a,2", 3, 1, .nonFinite(text: "NaN")),
            ("1,a,-inf", 3, 3, .nonFinite(text: "-inf")),
            ("1,a,1e39", 3, 3, .nonFinite(text: "1e39")),
            ("", 3, 0, .emptyLine),
        ]
        for (bad, line, column, expected) in cases {
            let text = "x,class,y\n1,a,2\n\(bad)\n3,b,4\n"
            let path = try file(text)
            XCTAssertThrowsError(try readAll(CSVFloatReader(path: path))) { error in
                let error = error as? CSVReadError
                XCTAssertEqual(error?.kind, expected, bad)
                XCTAssertEqual(error?.line, line, bad)
                XCTAssertEqual(error?.column, column, bad)
                XCTAssertEqual(error?.path, path)
                XCTAssertTrue(error?.description.contains("\(path):\(line)") ?? false)
            }
            let skipping = try CSVFloatReader(path: path, skipBadRows: true)
            XCTAssertEqual(try readAll(skipping).map(\.1), [[1, 2], [3, 4]], bad)
            XCTAssertEqual(skipping.skippedRows, 1, bad)
            XCTAssertEqual(skipping.skippedExamples.first?.kind, expected, bad)
        }
    }
}

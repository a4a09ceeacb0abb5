import Foundation
import SpotcheckTestSupport
import XCTest

/// `spotcheck incremental` end to end: its stdout against river's predictions
/// (Tests/ClassicMLTests/Fixtures/online, scripts/fixtures/river_expected.py), save/resume,
/// and malformed-row handling.
final class IncrementalCommandTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private var fixtures: URL { repository.appendingPathComponent("Tests/ClassicMLTests/Fixtures/online") }
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try scratchDirectory(self, prefix: "incremental")
    }

    /// The built `spotcheck` next to the test bundle (`swift build`/`swift test` put both in
    /// the same folder).
    private func executable() throws -> URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [besideTests, besideTests.deletingLastPathComponent(),
                       repository.appendingPathComponent(".build/release")] {
            let candidate = folder.appendingPathComponent("spotcheck")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw XCTSkip("no built spotcheck beside \(besideTests.path); run `swift build -c release --product spotcheck` (scripts/test does)")
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    private struct RiverResult: Decodable {
        let predictions: [String?]
        let test_predictions: [String?]?
    }

    /// The cookbook lines river's predictions give for a pass over `labels`.
    private func expectedLines(_ predictions: [String?], _ labels: [String], every: Int) -> [String] {
        var lines: [String] = []
        var correct = 0
        for (i, (p, y)) in zip(predictions, labels).enumerated() {
            if p == y { correct += 1 }
            if (i + 1) % every == 0 {
                lines.append("Update \(i + 1) - Accuracy: " + String(format: "%.2f%%", 100 * Double(correct) / Double(i + 1)))
            }
        }
        lines.append("Final - Accuracy: " + String(format: "%.2f%%", 100 * Double(correct) / Double(labels.count)))
        return lines
    }

    private func labels(_ name: String) throws -> [String] {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    func testOutputIsTheCookbooksLinesWithRiversNumbers() throws {
        let expected = try JSONDecoder().decode([String: [String: RiverResult]].self,
                                                from: Data(contentsOf: fixtures.appendingPathComponent("river_expected.json")))
        let river = try XCTUnwrap(expected["digits_train.csv"]?["logreg"])
        let train = fixtures.appendingPathComponent("digits_train.csv").path
        let test = fixtures.appendingPathComponent("digits_test.csv").path
        let result = try run(["incremental", "--csv", train, "--test", test, "--print-every", "200"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let want = expectedLines(river.predictions, try labels("digits_train.csv"), every: 200)
            + expectedLines(try XCTUnwrap(river.test_predictions), try labels("digits_test.csv"), every: 200)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init), want)
        XCTAssertTrue(result.stderr.contains("rows/s"), "progress with rates goes to stderr")
    }

    /// The same river lines from feature stores (cookbook layout, written by h5py from the
    /// digits fixtures) as from the CSV files.
    func testFeatureStoresGiveRiversLinesToo() throws {
        guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"] else {
            throw XCTSkip("SPOTCHECK_TEST_PYTHON is unset (scripts/test sets it to the venv with h5py)")
        }
        let script = """
        import csv, sys, h5py, numpy as np
        for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
            rows = list(csv.reader(open(src)))[1:]
            with h5py.File(dst, "w") as f:
                f["features"] = np.array([[float(v) for v in r[1:]] for r in rows], dtype=np.float64)
                f["labels"] = np.array([int(r[0]) for r in rows], dtype=np.int64)
                f.create_dataset("label_names", data=[str(i) for i in range(10)], dtype=h5py.string_dtype())
        """
        let train = directory.appendingPathComponent("train.h5").path, test = directory.appendingPathComponent("test.h5").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, fixtures.appendingPathComponent("digits_train.csv").path, train,
                             fixtures.appendingPathComponent("digits_test.csv").path, test]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let expected = try JSONDecoder().decode([String: [String: RiverResult]].self,
                                                from: Data(contentsOf: fixtures.appendingPathComponent("river_expected.json")))
        let river = try XCTUnwrap(expected["digits_train.csv"]?["logreg"])
        let result = try run(["incremental", "--features", train, "--test-features", test, "--print-every", "200"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let want = expectedLines(river.predictions, try labels("digits_train.csv"), every: 200)
            + expectedLines(try XCTUnwrap(river.test_predictions), try labels("digits_test.csv"), every: 200)
        XCTAssertEqual(result.stdout.split(separator: "\n").map(String.init), want)
        let split = try run(["incremental", "--features", train, "--test-fraction", "0.25", "--print-every", "0"])
        XCTAssertEqual(split.status, 0, split.stderr)
        XCTAssertEqual(split.stdout.split(separator: "\n").count, 2, "a final line for training and one for the held-out quarter")
    }

    /// Learning A, then B resumed from A's saved model, writes the same model file as learning
    /// A+B in one go.
    func testResumeEqualsOneRun() throws {
        let lines = try String(contentsOf: fixtures.appendingPathComponent("wine_shuffled.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let header = lines[0]
        let a = directory.appendingPathComponent("a.csv"), b = directory.appendingPathComponent("b.csv")
        try ([header] + lines[1...90]).joined(separator: "\n").write(to: a, atomically: true, encoding: .utf8)
        try ([header] + lines[91...]).joined(separator: "\n").write(to: b, atomically: true, encoding: .utf8)
        let whole = fixtures.appendingPathComponent("wine_shuffled.csv").path
        let m1 = directory.appendingPathComponent("m1").path, m2 = directory.appendingPathComponent("m2").path
        let m3 = directory.appendingPathComponent("m3").path
        for learner in ["logreg", "pa"] {
            XCTAssertEqual(try run(["incremental", "--csv", a.path, "--learner", learner, "--l2", "0.001", "--save", m1]).status, 0)
            let resumed = try run(["incremental", "--csv", b.path, "--resume", m1, "--save", m2])
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            XCTAssertEqual(try run(["incremental", "--csv", whole, "--learner", learner, "--l2", "0.001", "--save", m3]).status, 0)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: m2)), try Data(contentsOf: URL(fileURLWithPath: m3)), learner)
            let conflicting = try run(["incremental", "--csv", b.path, "--resume", m1, "--learner", "perceptron"])
            XCTAssertNotEqual(conflicting.status, 0)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".partial") }, [])
    }

    func testMalformedRowStopsWithItsPlaceOrIsSkipped() throws {
        let csv = directory.appendingPathComponent("bad.csv")
        try "class,a,b\nx,1,2\ny,3,oops\nx,5,6\ny,7,8\n".write(to: csv, atomically: true, encoding: .utf8)
        let failed = try run(["incremental", "--csv", csv.path])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(failed.stderr.contains("\(csv.path):3:3"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("'oops' is not a number"), failed.stderr)
        let skipped = try run(["incremental", "--csv", csv.path, "--skip-bad-rows", "--print-every", "0"])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertEqual(skipped.stdout, "Final - Accuracy: 33.33%\n")
        XCTAssertTrue(skipped.stderr.contains("skipped 1 malformed row"), skipped.stderr)
    }
}

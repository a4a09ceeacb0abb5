import FileSafety
import Foundation
import SpotcheckTestSupport
import XCTest

/// Several outputs as one unit: all replaced, the previous ones kept, and a commit a crash
/// interrupted finished by the next `recover`.
final class OutputCommitTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try scratchDirectory(self, prefix: "commit")
    }

    private func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    func testACommitReplacesEveryFileAndKeepsThePreviousOnes() throws {
        try OutputCommit.commit([("model.json", Data("m1".utf8)), ("report.json", Data("r1".utf8))], in: folder)
        try OutputCommit.commit([("model.json", Data("m2".utf8)), ("report.json", Data("r2".utf8))], in: folder)
        XCTAssertEqual([try text("model.json"), try text("report.json")], ["m2", "r2"])
        XCTAssertEqual([try text("previous/model.json"), try text("previous/report.json")], ["m1", "r1"])
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(left, ["model.json", "previous", "report.json"], "no journal, no temporary files")
    }

    /// A kill after the model moved but before the report did: the journal names the moves left,
    /// and `recover` finishes them, so report and model agree again.
    func testRecoveryFinishesACommitACrashInterrupted() throws {
        try OutputCommit.commit([("model.json", Data("m1".utf8)), ("report.json", Data("r1".utf8))], in: folder)
        // The state a crash leaves: new model in place, old one aside, new report still temporary.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("previous"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: folder.appendingPathComponent("model.json"),
                                         to: folder.appendingPathComponent("previous/model.json"))
        try Data("m2".utf8).write(to: folder.appendingPathComponent("model.json"))
        try Data("r2".utf8).write(to: folder.appendingPathComponent(".report.json.1.x.partial"))
        let journal = #"{"moves":[["model.json",".model.json.1.y.partial"],["report.json",".report.json.1.x.partial"]]}"#
        try Data(journal.utf8).write(to: folder.appendingPathComponent(OutputCommit.journalName))

        XCTAssertTrue(try OutputCommit.recover(in: folder))
        XCTAssertEqual([try text("model.json"), try text("report.json")], ["m2", "r2"])
        XCTAssertEqual([try text("previous/model.json"), try text("previous/report.json")], ["m1", "r1"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(OutputCommit.journalName).path))
        XCTAssertFalse(try OutputCommit.recover(in: folder), "nothing left to recover")
    }

    /// A journal is input too: one naming paths outside the folder moves nothing.
    func testAJournalThatPointsOutsideTheFolderIsIgnored() throws {
        let outside = folder.deletingLastPathComponent().appendingPathComponent("victim-\(UUID().uuidString)")
        try Data("keep".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("mine".utf8).write(to: folder.appendingPathComponent("report.json"))
        let journal = #"{"moves":[["report.json","../\#(outside.lastPathComponent)"]]}"#
        try Data(journal.utf8).write(to: folder.appendingPathComponent(OutputCommit.journalName))
        XCTAssertFalse(try OutputCommit.recover(in: folder))
        XCTAssertEqual(try String(contentsOf: outside, encoding: .utf8), "keep")
        XCTAssertEqual(try text("report.json"), "mine")
    }
}

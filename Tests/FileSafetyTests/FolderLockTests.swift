import FileSafety
import Foundation
import XCTest

/// A second holder waits for the first and is told who holds the folder.
final class FolderLockTests: XCTestCase {
    func testASecondLockWaitsAndIsToldWhoHoldsTheFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try FolderLock(folder)
        let state = LockState()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let second = try? FolderLock(folder) { holder in state.set(holder: holder) }
            state.set(acquired: second != nil)
            second?.release()
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 0.5), .timedOut, "the second lock waits while the first is held")
        XCTAssertTrue(state.holder?.contains("pid \(getpid())") == true, "\(state.holder ?? "nobody")")
        first.release()
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertTrue(state.acquired)
    }
}

private final class LockState: @unchecked Sendable {
    private let lock = NSLock()
    private var holderText: String?
    private var gotIt = false

    func set(holder: String) { lock.lock(); holderText = holder; lock.unlock() }
    func set(acquired: Bool) { lock.lock(); gotIt = acquired; lock.unlock() }
    var holder: String? { lock.lock(); defer { lock.unlock() }; return holderText }
    var acquired: Bool { lock.lock(); defer { lock.unlock() }; return gotIt }
}

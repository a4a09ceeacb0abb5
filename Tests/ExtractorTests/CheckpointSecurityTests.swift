import Extractor
import Foundation
import LinearAlgebra
import XCTest

/// Hostile and damaged inputs: disallowed globals are refused before anything is built, and
/// truncations and byte flips of real and small files end in a clean ``CheckpointError`` or a
/// result — never a crash (which would abort this test process) or unbounded allocation.
final class CheckpointSecurityTests: XCTestCase {
    private let marker = "/tmp/spotcheck-pwned"

    private func assertRefused(_ name: String, module: String, global: String) throws {
        try? FileManager.default.removeItem(atPath: marker)
        XCTAssertThrowsError(try Checkpoint(contentsOf: CheckpointFixtures.url(name))) { error in
            XCTAssertEqual((error as? CheckpointError)?.reason, .disallowedGlobal(module: module, name: global), name)
            XCTAssertTrue(String(describing: error).contains("allow-list"), name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "\(name) ran code")
    }

    func testOsSystemIsRefused() throws {
        try assertRefused("evil_os_system.pkl", module: "posix", global: "system")
    }

    func testEvalThroughStackGlobalIsRefused() throws {
        try assertRefused("evil_eval_proto4.pkl", module: "builtins", global: "eval")
    }

    func testHostilePickleInsideTorchZipIsRefused() throws {
        try assertRefused("evil_zip.pt", module: "posix", global: "system")
    }

    func testUnknownOpcodeIsRefused() {
        // PROTO 2, then INST ('i'), which weight files never use.
        let bytes: [UInt8] = [0x80, 0x02, 0x69] + Array("os\nsystem\n".utf8) + [0x2e]
        XCTAssertThrowsError(try Checkpoint(bytes: bytes, name: "inst.pkl")) { error in
            XCTAssertEqual((error as? CheckpointError)?.reason, .unsupportedOpcode(0x69, offset: 2))
        }
    }

    func testLengthBeyondTheFileIsAnErrorNotAnAllocation() {
        // PROTO 2, BINBYTES claiming 2^31 bytes with only 3 present.
        let bytes: [UInt8] = [0x80, 0x02, 0x42, 0x00, 0x00, 0x00, 0x80, 0x01, 0x02, 0x03]
        XCTAssertThrowsError(try Checkpoint(bytes: bytes, name: "huge.pkl")) { error in
            guard case .truncated? = (error as? CheckpointError)?.reason else {
                return XCTFail("expected a truncation error, got \(error)")
            }
        }
    }

    func testDeeplyNestedSafetensorsHeaderIsAnError() {
        let header = Array(String(repeating: "{\"a\":", count: 100_000).utf8) + Array(String(repeating: "}", count: 100_000).utf8)
        var length = UInt64(header.count)
        let prefix = (0..<8).map { _ -> UInt8 in
            defer { length >>= 8 }
            return UInt8(truncatingIfNeeded: length)
        }
        XCTAssertThrowsError(try Checkpoint(bytes: prefix + header, name: "deep.safetensors")) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)")
        }
    }

    /// How mutants ended: both kinds must occur, or the mutations test nothing.
    private struct Outcomes {
        var loaded = 0
        var refused = 0
    }

    /// Parses `bytes`, accepting a result or a ``CheckpointError`` and nothing else.
    private func survive(_ bytes: [UInt8], _ label: String, _ outcomes: inout Outcomes) {
        do {
            let checkpoint = try Checkpoint(bytes: bytes, name: label)
            for tensor in checkpoint.tensors.values {
                XCTAssertEqual(tensor.values.count, tensor.shape.reduce(1, *), label)
            }
            outcomes.loaded += 1
        } catch let error as CheckpointError {
            XCTAssertEqual(error.file, label)
            outcomes.refused += 1
        } catch {
            XCTFail("\(label): unexpected error type \(error)")
        }
    }

    func testEveryTruncationAndRandomFlipsOfSmallFiles() throws {
        var generator = SeededGenerator(seed: 42)
        for name in ["small_zip.pt", "small_legacy.pt", "small.safetensors", "small_zip64.pt", "small_zip_deflated.pt",
                     "evil_zip.pt"] {
            var outcomes = Outcomes()
            let original = try CheckpointFixtures.bytes(name)
            for length in 0..<original.count {
                survive(Array(original[..<length]), "\(name)[..<\(length)]", &outcomes)
            }
            for mutant in 0..<300 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                survive(bytes, "\(name) mutant \(mutant)", &outcomes)
            }
            XCTAssertGreaterThan(outcomes.refused, original.count, name)
            if !name.hasPrefix("evil") && !name.contains("deflated") { XCTAssertGreaterThan(outcomes.loaded, 10, name) }
        }
    }

    func testTruncationsAndFlipsOfRealFiles() throws {
        var generator = SeededGenerator(seed: 42)
        for (name, _) in CheckpointFixtures.realFiles {
            var outcomes = Outcomes()
            let original = [UInt8](try Data(contentsOf: CheckpointFixtures.realFile(name)))
            // Most structure (the pickles, the storage headers) is in the first 64 KiB.
            let head = min(original.count, 1 << 16)
            var cuts = (0..<24).map { _ in Int.random(in: 0..<head, using: &generator) }
            cuts += (0..<8).map { _ in Int.random(in: 0..<original.count, using: &generator) }
            cuts += [original.count - 1, original.count - 8]
            for cut in cuts { survive(Array(original[..<cut]), "\(name)[..<\(cut)]", &outcomes) }
            XCTAssertEqual(outcomes.refused, cuts.count, "every truncation of \(name) must be refused")
            var bytes = original
            for mutant in 0..<40 {
                let position = Int.random(in: 0..<head, using: &generator)
                let saved = bytes[position]
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
                survive(bytes, "\(name) flip \(mutant) at \(position)", &outcomes)
                bytes[position] = saved
            }
            XCTAssertGreaterThan(outcomes.loaded, 0, name)
        }
    }
}

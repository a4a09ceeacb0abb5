import Extractor
import Foundation
import XCTest

/// Tiny checkpoints written by torch.save (zip and legacy) and a byte-by-byte safetensors file,
/// compared value by value with what torch / numpy hold (fixture small_expected.json).
final class CheckpointSmallFixtureTests: XCTestCase {
    private func assertMatches(_ checkpoint: Checkpoint, _ expected: [String: CheckpointFixtures.Values],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(checkpoint.names), Set(expected.keys), file: file, line: line)
        for (name, reference) in expected {
            XCTAssertEqual(checkpoint.tensors[name]?.shape, reference.shape, name, file: file, line: line)
            XCTAssertEqual(checkpoint.tensors[name]?.values, reference.values, name, file: file, line: line)
        }
    }

    func testZipCheckpointWithViewsAndMixedTypes() throws {
        let expected = try CheckpointFixtures.json("small_expected.json", as: [String: [String: CheckpointFixtures.Values]].self)
        let checkpoint = try Checkpoint(contentsOf: CheckpointFixtures.url("small_zip.pt"))
        XCTAssertEqual(checkpoint.format, .torchZip)
        assertMatches(checkpoint, try XCTUnwrap(expected["torch"]))
        XCTAssertEqual(checkpoint.names.first, "conv.weight")
        XCTAssertEqual(checkpoint.names.last, "nested.b")
    }

    func testZip64EndRecordIsFollowed() throws {
        let expected = try CheckpointFixtures.json("small_expected.json", as: [String: [String: CheckpointFixtures.Values]].self)
        let checkpoint = try Checkpoint(contentsOf: CheckpointFixtures.url("small_zip64.pt"))
        XCTAssertEqual(checkpoint.format, .torchZip)
        assertMatches(checkpoint, try XCTUnwrap(expected["torch"]))
    }

    func testLegacyCheckpointWithViewsAndMixedTypes() throws {
        let expected = try CheckpointFixtures.json("small_expected.json", as: [String: [String: CheckpointFixtures.Values]].self)
        let checkpoint = try Checkpoint(contentsOf: CheckpointFixtures.url("small_legacy.pt"))
        XCTAssertEqual(checkpoint.format, .torchLegacy)
        assertMatches(checkpoint, try XCTUnwrap(expected["torch"]))
    }

    func testSafetensorsWithHalfAndBFloat16() throws {
        let expected = try CheckpointFixtures.json("small_expected.json", as: [String: [String: CheckpointFixtures.Values]].self)
        let checkpoint = try Checkpoint(contentsOf: CheckpointFixtures.url("small.safetensors"))
        XCTAssertEqual(checkpoint.format, .safetensors)
        assertMatches(checkpoint, try XCTUnwrap(expected["safetensors"]))
        XCTAssertEqual(checkpoint.names, ["dense.weight", "dense.bias", "embedding"])
    }

    func testEveryFloat16BitPatternMatchesSwiftsFloat16() throws {
        let header = Array(#"{"h":{"dtype":"F16","shape":[65536],"data_offsets":[0,131072]}}"#.utf8)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
        for pattern in 0..<65536 { bytes += [UInt8(pattern & 0xff), UInt8(pattern >> 8)] }
        let values = try XCTUnwrap(Checkpoint(bytes: bytes, name: "f16.safetensors").tensors["h"]).values
        for pattern in 0..<65536 {
            let expected = Float(Float16(bitPattern: UInt16(pattern)))
            if expected.isNaN {
                XCTAssertTrue(values[pattern].isNaN, "pattern \(pattern)")
            } else {
                XCTAssertEqual(values[pattern].bitPattern, expected.bitPattern, "pattern \(pattern)")
            }
        }
    }

    func testCompressedZipMembersAreRefusedClearly() throws {
        XCTAssertThrowsError(try Checkpoint(contentsOf: CheckpointFixtures.url("small_zip_deflated.pt"))) { error in
            guard case .unsupported(let what)? = (error as? CheckpointError)?.reason else {
                return XCTFail("expected .unsupported, got \(error)")
            }
            XCTAssertTrue(what.contains("compressed"), what)
        }
    }

    func testSniffingLooksAtBytesNotNames() throws {
        XCTAssertEqual(Checkpoint.sniff(try CheckpointFixtures.bytes("small_zip.pt")), .torchZip)
        XCTAssertEqual(Checkpoint.sniff(try CheckpointFixtures.bytes("small_legacy.pt")), .torchLegacy)
        XCTAssertEqual(Checkpoint.sniff(try CheckpointFixtures.bytes("small.safetensors")), .safetensors)
        XCTAssertNil(Checkpoint.sniff(Array("just some text".utf8)))
        // A safetensors header of 1,920 bytes (VGG-11's) makes the file start with 0x80 like a pickle.
        let header = Array("{\"__metadata__\":{}}".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 1920 - 19)
        XCTAssertEqual(Checkpoint.sniff([0x80, 0x07, 0, 0, 0, 0, 0, 0] + header), .safetensors)
        XCTAssertThrowsError(try Checkpoint(bytes: Array("just some text".utf8), name: "notes.txt")) { error in
            XCTAssertEqual(error as? CheckpointError, CheckpointError(file: "notes.txt", reason: .unknownFormat))
        }
    }
}

import Extractor
import Foundation
import XCTest

/// SHA-256 against the FIPS 180-4 / NIST test vectors and the real weight files' published digests.
final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hexDigest([UInt8]()),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexDigest(Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testChunkingDoesNotChangeTheDigest() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [1, 55, 56, 63, 64, 65, 500] {
            var hash = SHA256()
            hash.update(message[..<split])
            hash.update(message[split...])
            XCTAssertEqual(hash.finalize(), {
                var whole = SHA256()
                whole.update(message)
                return whole.finalize()
            }(), "split \(split)")
        }
    }

    func testRealWeightFiles() throws {
        for (name, digest) in CheckpointFixtures.realFiles {
            XCTAssertEqual(try SHA256.hexDigest(of: CheckpointFixtures.realFile(name)), digest, name)
        }
    }
}

import Extractor
import Foundation
import XCTest

/// Shared helpers of the checkpoint tests: fixture paths, the real weight files, expected values.
enum CheckpointFixtures {
    /// The five pretrained files scripts/setup fetches, with their sha256 (from scripts/setup's table).
    static let realFiles: [(name: String, sha256: String)] = [
        ("mobilenet_v2-b0353104.pth", "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"),
        ("efficientnet-lite0-57934424.pth", "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"),
        ("efficientnet-lite1-77cc7160.pth", "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850"),
        ("efficientnet-lite2-9656183e.pth", "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d"),
        ("squeezenet_weights.pkl", "f286bbf493e6389979ed3036f960f4404e0079acdb92156500df0d4a43d085f1"),
    ]

    /// A committed fixture in Fixtures/checkpoints.
    static func url(_ name: String) throws -> URL {
        let url = try XCTUnwrap(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/checkpoints").appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "missing fixture \(name)")
        return url
    }

    /// The bytes of a committed fixture.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }

    /// A real weight file, or an XCTSkip saying how to get it.
    static func realFile(_ name: String) throws -> URL {
        let url = WeightsDirectory.file(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) is absent: run scripts/setup to fetch the pretrained weights")
        }
        return url
    }

    /// Summary statistics of one tensor as the reference (torch / pickle + numpy) computed them.
    struct Summary: Decodable {
        let shape: [Int]
        let sum: Double
        let sumAbs: Double
        let first: [Float]
    }

    /// Expected contents of one real file.
    struct RealFile: Decodable {
        let count: Int
        let tensors: [String: Summary]
    }

    /// Every value of a small fixture's tensor.
    struct Values: Decodable {
        let shape: [Int]
        let values: [Float]
    }

    /// The decoded JSON fixture `name`.
    static func json<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }
}

import Foundation
import XCTest

/// Paths and expectations of the fixtures made by scripts/fixtures/imaging_fixtures.py.
enum ImagingFixtures {
    struct Size: Decodable { let width: Int; let height: Int }
    struct Crop: Decodable { let photo: String; let filter: String; let resize: Int; let crop: Int; let file: String }
    struct Manifest: Decodable {
        let decoded: [String: Size]
        let broken: [String: String]
        let crops: [Crop]
    }

    static let root: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("ExtractorTests fixtures are missing from the test bundle")
        }
        return url.appendingPathComponent("imaging")
    }()

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: root.appendingPathComponent("manifest.json")))
    }

    static func input(_ name: String) -> URL { root.appendingPathComponent("inputs/\(name)") }
    static func broken(_ name: String) -> URL { root.appendingPathComponent("inputs/broken/\(name)") }
    static func photo(_ name: String) -> URL { root.appendingPathComponent("inputs/photos/\(name)") }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    /// Largest absolute difference between two equally long byte arrays.
    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        precondition(a.count == b.count)
        return zip(a, b).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }
}

import Foundation

/// The river reference fixtures made by scripts/fixtures/river_expected.py.
enum OnlineFixtures {
    /// A labelled CSV fixture read with a plain parser (`Float(String)`, correctly rounded).
    struct Table {
        var rows: [[Float]] = []
        var labels: [String] = []
    }

    /// One learner's river results on one file.
    struct Expected: Decodable {
        let predictions: [String?]
        let accuracy: Double
        let test_predictions: [String?]?
        let test_accuracy: Double?
    }

    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/online/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return url
    }

    /// Reads a fixture CSV, the label column found by its name `class`.
    static func table(_ name: String) throws -> Table {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        guard let target = header.firstIndex(of: "class") else { throw CocoaError(.fileReadCorruptFile) }
        var table = Table()
        for line in lines {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            table.labels.append(fields.remove(at: target))
            table.rows.append(try fields.map {
                guard let value = Float($0) else { throw CocoaError(.fileReadCorruptFile) }
                return value
            })
        }
        return table
    }

    /// river's results: file → learner → results.
    static func expected() throws -> [String: [String: Expected]] {
        try JSONDecoder().decode([String: [String: Expected]].self, from: Data(contentsOf: url("river_expected.json")))
    }
}

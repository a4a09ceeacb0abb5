import Foundation

/// Which images are copies of one source photo, read from a CSV with `file` and `source` columns
/// (`spotcheck rotations` writes one as `sources.csv`), so that splits keep the copies together.
public struct SourceGroups: Sendable {
    /// The CSV the groups came from.
    public let file: URL
    /// The source of each listed image, by its path relative to the dataset root.
    public let sourceOf: [String: String]

    /// The name `spotcheck rotations` gives the list, looked for in the dataset root.
    public static let defaultName = "sources.csv"

    /// Reads `file`: a header naming `file` and `source` columns (others are ignored), then one
    /// row per image; fields may be quoted as CSV does.
    /// - Throws: `SpotcheckError.groupsUnreadable` naming the file, the line and what to fix.
    public init(contentsOf file: URL) throws(SpotcheckError) {
        self.file = file
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw SpotcheckError.groupsUnreadable(path: file.path, reason: error.localizedDescription)
        }
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).makeIterator()
        let header = try Self.fields(lines.next().map(String.init) ?? "", file: file, line: 1)
        guard let fileColumn = header.firstIndex(of: "file"), let sourceColumn = header.firstIndex(of: "source") else {
            throw SpotcheckError.groupsUnreadable(path: file.path, reason: "the header \(header) has no file and source columns")
        }
        var sourceOf = [String: String]()
        var number = 1
        while let line = lines.next() {
            number += 1
            let fields = try Self.fields(String(line), file: file, line: number)
            guard fields.count > max(fileColumn, sourceColumn) else {
                throw SpotcheckError.groupsUnreadable(path: file.path, reason: "line \(number) has \(fields.count) fields, fewer than the header's \(header.count)")
            }
            sourceOf[fields[fileColumn]] = fields[sourceColumn]
        }
        self.sourceOf = sourceOf
    }

    /// One group number per row key; an image the file does not list is its own group.
    /// - Parameter keys: row keys (image paths relative to the dataset root).
    /// - Returns: the group of each key and how many keys the file did not list.
    public func groups(for keys: [String]) -> (groups: [Int], unlisted: Int) {
        var numbers = [String: Int]()
        var unlisted = 0
        let groups = keys.map { key -> Int in
            let source: String
            if let listed = sourceOf[key] {
                source = "listed:" + listed
            } else {
                source = "own:" + key
                unlisted += 1
            }
            if let number = numbers[source] { return number }
            numbers[source] = numbers.count
            return numbers.count - 1
        }
        return (groups, unlisted)
    }

    /// The fields of one CSV line: commas separate; a field that starts with a double quote runs
    /// to the closing quote, `""` inside it being one quote (line breaks inside fields are not
    /// supported).
    private static func fields(_ line: String, file: URL, line number: Int) throws(SpotcheckError) -> [String] {
        let characters = Array(line)
        var fields = [String]()
        var index = 0
        while true {
            var field = ""
            if index < characters.count, characters[index] == "\"" {
                index += 1
                while true {
                    guard index < characters.count else {
                        throw SpotcheckError.groupsUnreadable(path: file.path, reason: "line \(number) ends inside a quoted field")
                    }
                    if characters[index] == "\"" {
                        if index + 1 < characters.count, characters[index + 1] == "\"" {
                            field.append("\"")
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(characters[index])
                    index += 1
                }
                guard index == characters.count || characters[index] == "," else {
                    throw SpotcheckError.groupsUnreadable(path: file.path, reason: "line \(number) has text after a closing quote")
                }
            } else {
                while index < characters.count, characters[index] != "," {
                    field.append(characters[index])
                    index += 1
                }
            }
            fields.append(field)
            guard index < characters.count else { return fields }
            index += 1  // the comma
        }
    }
}

/// Why a CSV file (or one of its rows) could not be read, with the file, line (1-based, the
/// header is line 1) and column (1-based) where it went wrong.
public struct CSVReadError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened or read (`reason` is the system's message).
        case unreadable(reason: String)
        /// The gzip stream is corrupt or truncated.
        case corruptGzip(reason: String)
        /// The file is empty or its first line is empty: there is no header.
        case missingHeader
        /// The header has no column of the requested name.
        case targetNotFound(target: String, header: [String])
        /// The header holds no feature column besides the target.
        case noFeatureColumns
        /// A row has a different number of fields than the header.
        case wrongColumnCount(expected: Int, found: Int)
        /// A feature field is not a decimal number.
        case nonNumeric(text: String)
        /// A feature field is NaN or infinite (or overflows a 32-bit float).
        case nonFinite(text: String)
        /// A blank line between rows.
        case emptyLine
        /// The file's feature columns differ from those of the file it must match (e.g. a test
        /// file against its training file): `expected` and `found` are the feature names.
        case columnsDiffer(reference: String, expected: [String], found: [String])
    }

    /// The file being read.
    public let path: String
    /// The 1-based line number (the header is line 1); 0 when the error concerns the whole file.
    public let line: Int
    /// The 1-based column number; 0 when the error concerns the whole line or file.
    public let column: Int
    /// What went wrong.
    public let kind: Kind

    /// - Parameters:
    ///   - path: the file being read.
    ///   - line: the 1-based line, or 0 for the whole file.
    ///   - column: the 1-based column, or 0 for the whole line.
    ///   - kind: what went wrong.
    public init(path: String, line: Int, column: Int, kind: Kind) {
        self.path = path
        self.line = line
        self.column = column
        self.kind = kind
    }

    /// `true` for errors confined to one data row (these can be skipped).
    public var isRowError: Bool {
        switch kind {
        case .wrongColumnCount, .nonNumeric, .nonFinite, .emptyLine: return true
        default: return false
        }
    }

    /// Where and what went wrong, and what to do about it.
    public var description: String {
        var place = path
        if line > 0 { place += ":\(line)" }
        if column > 0 { place += ":\(column)" }
        let skip = "; fix the row, or read with skipBadRows to count and skip such rows"
        switch kind {
        case .unreadable(let reason):
            return "\(place): cannot read the file (\(reason)); check the path and its permissions"
        case .corruptGzip(let reason):
            return "\(place): the gzip stream is corrupt or truncated (\(reason)); re-create or re-download the file"
        case .missingHeader:
            return "\(place): no header line; the first line must name the columns, e.g. class,feature_0,feature_1"
        case .targetNotFound(let target, let header):
            let shown = header.prefix(8).joined(separator: ",") + (header.count > 8 ? ",…" : "")
            return "\(place): no column named '\(target)' in the header (\(shown)); ask for the label column by its name in the header"
        case .noFeatureColumns:
            return "\(place): the header has no feature column besides the target; the file needs at least one feature"
        case .wrongColumnCount(let expected, let found):
            return "\(place): row has \(found) fields, the header has \(expected)\(skip)"
        case .nonNumeric(let text):
            return "\(place): '\(text)' is not a number\(skip)"
        case .nonFinite(let text):
            return "\(place): '\(text)' is NaN or infinite (or too large for a 32-bit float)\(skip)"
        case .emptyLine:
            return "\(place): empty line between rows\(skip)"
        case .columnsDiffer(let reference, let expected, let found):
            let shown = { (names: [String]) in names.prefix(6).joined(separator: ",") + (names.count > 6 ? ",…" : "") }
            let first = zip(expected, found).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = first.map { "feature column \($0.offset + 1) is '\($0.element.1)', in \(reference) '\($0.element.0)'" }
                ?? "\(found.count) feature columns, \(reference) has \(expected.count)"
            return "\(place): its feature columns (\(shown(found))) differ from those of \(reference) (\(shown(expected))): "
                + "\(detail); use files with the same feature columns in the same order"
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Streams a CSV file of numeric features and one label column, row by row, in constant
/// memory: bytes are read in large chunks (gzip input is inflated on the fly) and parsed in
/// place into the caller's reused `[Float]` row — no per-field objects are made.
///
/// The first line is the header. The label column is found by name anywhere in it (default
/// `class`); every other column is a feature, in file order. Labels are kept as text (`"3"`,
/// `"rose"`), so integer and string labels both work. A malformed row — wrong field count,
/// non-numeric field, NaN or infinity, blank line — is a `CSVReadError` naming the file, line
/// and column, or, with `skipBadRows`, a counted skip.
public final class CSVFloatReader {
    /// The file being read.
    public let path: String
    /// The header's column names, in file order.
    public private(set) var header: [String]
    /// The 0-based position of the label column in `header`.
    public private(set) var targetColumn: Int
    /// The feature columns' names (the header without the label column).
    public private(set) var featureNames: [String]
    /// Whether malformed rows are skipped (and counted) instead of thrown.
    public let skipBadRows: Bool
    /// Rows skipped as malformed so far (only with `skipBadRows`).
    public private(set) var skippedRows = 0
    /// The first few skipped rows' errors, for the report.
    public private(set) var skippedExamples: [CSVReadError] = []
    /// Good rows returned so far.
    public private(set) var rowsRead = 0
    /// The number of feature columns.
    public var featureCount: Int { featureNames.count }

    private let source: CompressedFileSource
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    private var line = 0

    /// Opens a CSV file and reads its header.
    /// - Parameters:
    ///   - path: a `.csv` file, or a gzip-compressed one (detected by content).
    ///   - target: the name of the label column (default `class`).
    ///   - skipBadRows: skip and count malformed rows instead of throwing.
    ///   - chunkSize: bytes per read; the buffer grows beyond it only for longer lines.
    /// - Throws: `CSVReadError` when the file cannot be read, has no header, lacks the target
    ///   column, or has no feature column.
    public init(path: String, target: String = "class", skipBadRows: Bool = false,
                chunkSize: Int = 4 << 20) throws(CSVReadError) {
        self.path = path
        self.skipBadRows = skipBadRows
        source = try CompressedFileSource(path: path)
        capacity = max(chunkSize, 1 << 12)
        buffer = .allocate(capacity: capacity)
        // Every stored property must be set before `self` is used; the header comes next. From
        // here on a throw runs `deinit`, which frees the buffer.
        header = []
        targetColumn = 0
        featureNames = []
        guard let (first, count) = try nextLine(), count > 0 else {
            throw CSVReadError(path: path, line: 1, column: 0, kind: .missingHeader)
        }
        var text = UnsafeBufferPointer(start: first, count: count)
        if count >= 3, first[0] == 0xEF, first[1] == 0xBB, first[2] == 0xBF {
            text = UnsafeBufferPointer(rebasing: text[3...])
        }
        let names = text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { Self.cleanText(UnsafeBufferPointer(rebasing: $0)) }
        guard let column = names.firstIndex(of: target) else {
            throw CSVReadError(path: path, line: 1, column: 0, kind: .targetNotFound(target: target, header: names))
        }
        guard names.count > 1 else {
            throw CSVReadError(path: path, line: 1, column: 0, kind: .noFeatureColumns)
        }
        header = names
        targetColumn = column
        var features = names
        features.remove(at: column)
        featureNames = features
    }

    deinit { buffer.deallocate() }

    /// Checks, before any row is read, that this file has the same feature columns, in the same
    /// order, as `reference` (the label column may sit elsewhere) — e.g. a test file against its
    /// training file, so that a mismatch is found before any learning.
    /// - Parameter reference: the reader whose columns this file must have.
    /// - Throws: `CSVReadError` of kind `.columnsDiffer` naming the first differing column.
    public func requireSameFeatures(as reference: CSVFloatReader) throws(CSVReadError) {
        guard featureNames != reference.featureNames else { return }
        throw CSVReadError(path: path, line: 1, column: 0,
                           kind: .columnsDiffer(reference: reference.path, expected: reference.featureNames,
                                                found: featureNames))
    }

    /// Reads the next good row.
    /// - Parameter features: the row buffer; resized to `featureCount` if needed, then filled.
    /// - Returns: the row's label, or `nil` at the end of the file.
    /// - Throws: `CSVReadError` for a malformed row (unless `skipBadRows`), an I/O error or a
    ///   corrupt gzip stream.
    public func readRow(into features: inout [Float]) throws(CSVReadError) -> String? {
        if features.count != featureCount {
            features = [Float](repeating: 0, count: featureCount)
        }
        while let (bytes, count) = try nextLine() {
            do throws(CSVReadError) {
                let label = try features.withUnsafeMutableBufferPointer { row throws(CSVReadError) in
                    try parseRow(bytes, count, into: row)
                }
                rowsRead += 1
                return label
            } catch {
                guard skipBadRows, error.isRowError else { throw error }
                skippedRows += 1
                if skippedExamples.count < 5 { skippedExamples.append(error) }
            }
        }
        return nil
    }

    /// Parses one data line into `row`; returns its label.
    private func parseRow(_ bytes: UnsafePointer<UInt8>, _ count: Int,
                          into row: UnsafeMutableBufferPointer<Float>) throws(CSVReadError) -> String {
        guard count > 0 else { throw CSVReadError(path: path, line: line, column: 0, kind: .emptyLine) }
        let lineEnd = bytes + count
        let columns = header.count
        let comma = UInt8(ascii: ",")
        var cursor = bytes
        var label = ""
        var feature = 0
        for column in 0..<columns {
            if column > 0 {
                guard cursor < lineEnd, cursor.pointee == comma else {
                    throw CSVReadError(path: path, line: line, column: column + 1,
                                       kind: .wrongColumnCount(expected: columns, found: column))
                }
                cursor += 1
            }
            let fieldStart = cursor
            if column == targetColumn {
                while cursor < lineEnd, cursor.pointee != comma { cursor += 1 }
                label = Self.cleanText(UnsafeBufferPointer(start: fieldStart, count: cursor - fieldStart))
                continue
            }
            switch FloatFieldParser.parse(&cursor, lineEnd) {
            case .value(let value) where cursor == lineEnd || cursor.pointee == comma:
                row[feature] = value
                feature += 1
            case .nonFinite:
                throw fieldError(fieldStart, lineEnd, column) { .nonFinite(text: $0) }
            default:
                throw fieldError(fieldStart, lineEnd, column) { .nonNumeric(text: $0) }
            }
        }
        guard cursor == lineEnd else {
            let extra = UnsafeBufferPointer(start: cursor, count: lineEnd - cursor).count { $0 == comma }
            throw CSVReadError(path: path, line: line, column: columns + 1,
                               kind: .wrongColumnCount(expected: columns, found: columns + extra))
        }
        return label
    }

    /// The error for the field starting at `fieldStart`, quoting its text.
    private func fieldError(_ fieldStart: UnsafePointer<UInt8>, _ lineEnd: UnsafePointer<UInt8>, _ column: Int,
                            _ kind: (String) -> CSVReadError.Kind) -> CSVReadError {
        var stop = fieldStart
        while stop < lineEnd, stop.pointee != UInt8(ascii: ",") { stop += 1 }
        let text = String(decoding: UnsafeBufferPointer(start: fieldStart, count: min(stop - fieldStart, 40)),
                          as: UTF8.self)
        return CSVReadError(path: path, line: line, column: column + 1, kind: kind(text))
    }

    /// The next line (without its `\n` or `\r\n`), valid until the next call; `nil` at the end.
    private func nextLine() throws(CSVReadError) -> (UnsafePointer<UInt8>, Int)? {
        var searchFrom = start
        while true {
            if let newline = memchr(buffer + searchFrom, 0x0A, end - searchFrom) {
                let stop = newline.assumingMemoryBound(to: UInt8.self) - buffer
                return takeLine(upTo: stop, next: stop + 1)
            }
            if atEndOfFile {
                return start < end ? takeLine(upTo: end, next: end) : nil
            }
            searchFrom = end - start
            try refill()
        }
    }

    private func takeLine(upTo stop: Int, next: Int) -> (UnsafePointer<UInt8>, Int) {
        line += 1
        var length = stop - start
        if length > 0, buffer[start + length - 1] == 0x0D { length -= 1 }
        let line = (UnsafePointer(buffer + start), length)
        start = next
        return line
    }

    /// Moves the unread tail to the front, grows the buffer if a line fills it, and reads more.
    private func refill() throws(CSVReadError) {
        let pending = end - start
        if start > 0 {
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            start = 0
            end = pending
        }
        if end == capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        let count: Int
        do throws(CSVReadError) {
            count = try source.read(into: buffer + end, capacity: capacity - end)
        } catch {
            throw CSVReadError(path: path, line: line + 1, column: 0, kind: error.kind)
        }
        if count == 0 { atEndOfFile = true }
        end += count
    }

    /// A header name or label: surrounding blanks and double quotes removed.
    private static func cleanText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        if slice.count >= 2, slice.first == 0x22, slice.last == 0x22 { slice = slice.dropFirst().dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// A minimal ZIP reader for the archives `torch.save` writes: it locates members through the
/// central directory (zip64 included) and returns the byte range of *stored* (uncompressed) ones,
/// without copying. Compressed members are refused with a clear error.
struct ZipArchive {
    /// A member's name and the byte range of its data inside the file.
    struct Entry {
        /// Path inside the archive.
        let name: String
        /// Compression method (0 = stored).
        let method: UInt16
        /// The data's bytes inside the file (for stored members).
        let data: Range<Int>
    }

    /// Members by name.
    let entries: [String: Entry]

    /// Whether `bytes` starts like a ZIP archive (a local file header).
    static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4b && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    /// Reads the central directory of the archive in `bytes`.
    /// - Throws: ``CheckpointFailure`` when the directory or a header is missing or out of bounds.
    init(_ bytes: [UInt8]) throws {
        let endRecord = try ZipArchive.findEndOfCentralDirectory(bytes)
        var cursor = ByteCursor(bytes, start: endRecord + 10)
        var count = try cursor.littleEndian(2, "the ZIP end record")
        _ = try cursor.littleEndian(4, "the ZIP end record")
        var directory = try cursor.littleEndian(4, "the ZIP end record")
        if count == 0xffff || directory == 0xffff_ffff {
            (count, directory) = try ZipArchive.zip64Directory(bytes, endRecord: endRecord)
        }
        guard directory < UInt64(bytes.count), count <= UInt64(bytes.count / 46) else {
            throw CheckpointFailure.malformed("ZIP central directory out of bounds")
        }
        var entries: [String: Entry] = [:]
        cursor = ByteCursor(bytes, start: Int(directory))
        for _ in 0..<Int(count) {
            let entry = try ZipArchive.centralEntry(&cursor)
            entries[entry.name] = entry
        }
        self.entries = entries
    }

    /// The data of the stored member `name`.
    /// - Throws: if it is absent or compressed.
    func data(_ name: String) throws -> Range<Int> {
        guard let entry = entries[name] else { throw CheckpointFailure.malformed("the archive has no member \(name)") }
        guard entry.method == 0 else {
            throw CheckpointFailure.unsupported("compressed ZIP member \(name) (torch.save writes stored members)")
        }
        return entry.data
    }

    private static func signature(_ bytes: [UInt8], _ at: Int, _ value: UInt64) -> Bool {
        at >= 0 && at + 4 <= bytes.count && ByteCursor.littleEndian(bytes, at..<(at + 4)) == value
    }

    /// The offset of the end-of-central-directory record (searched backwards over the comment).
    private static func findEndOfCentralDirectory(_ bytes: [UInt8]) throws -> Int {
        let last = bytes.count - 22
        let first = max(last - 0xffff, 0)
        guard last >= 0 else { throw CheckpointFailure.truncated("the ZIP end record") }
        for offset in stride(from: last, through: first, by: -1) where signature(bytes, offset, 0x0605_4b50) {
            return offset
        }
        throw CheckpointFailure.truncated("the ZIP archive (no end-of-central-directory record)")
    }

    /// Entry count and directory offset from the zip64 end record that the locator points to.
    private static func zip64Directory(_ bytes: [UInt8], endRecord: Int) throws -> (UInt64, UInt64) {
        let locator = endRecord - 20
        guard signature(bytes, locator, 0x0706_4b50) else {
            throw CheckpointFailure.malformed("ZIP needs zip64 but has no zip64 locator")
        }
        var cursor = ByteCursor(bytes, start: locator + 8)
        let record = try cursor.littleEndian(8, "the zip64 locator")
        guard record < UInt64(bytes.count), signature(bytes, Int(record), 0x0606_4b50) else {
            throw CheckpointFailure.malformed("zip64 end record out of bounds")
        }
        cursor = ByteCursor(bytes, start: Int(record) + 32)
        let count = try cursor.littleEndian(8, "the zip64 end record")
        _ = try cursor.littleEndian(8, "the zip64 end record")
        let directory = try cursor.littleEndian(8, "the zip64 end record")
        return (count, directory)
    }

    /// One central directory header, resolved to its member's data range via the local header.
    private static func centralEntry(_ cursor: inout ByteCursor) throws -> Entry {
        let bytes = cursor.bytes
        guard signature(bytes, cursor.offset, 0x0201_4b50) else {
            throw CheckpointFailure.malformed("bad ZIP central directory header")
        }
        let header = try cursor.take(46, "a ZIP central directory header")
        func field(_ at: Int, _ width: Int) -> UInt64 {
            ByteCursor.littleEndian(bytes, (header.lowerBound + at)..<(header.lowerBound + at + width))
        }
        let method = UInt16(field(10, 2))
        var compressed = field(20, 4)
        var uncompressed = field(24, 4)
        var local = field(42, 4)
        let nameRange = try cursor.take(Int(field(28, 2)), "a ZIP member name")
        var extra = ByteCursor(bytes, start: cursor.offset, end: cursor.offset + Int(field(30, 2)))
        _ = try cursor.take(Int(field(30, 2)) + Int(field(32, 2)), "a ZIP central directory header")
        guard let name = String(validating: bytes[nameRange], as: UTF8.self) else {
            throw CheckpointFailure.malformed("a ZIP member name is not UTF-8")
        }
        while extra.remaining >= 4 {
            let tag = try extra.littleEndian(2, "a ZIP extra field")
            let size = Int(try extra.littleEndian(2, "a ZIP extra field"))
            var field = ByteCursor(bytes, start: extra.offset, end: extra.offset + size)
            _ = try extra.take(size, "a ZIP extra field")
            guard tag == 0x0001 else { continue }
            if uncompressed == 0xffff_ffff { uncompressed = try field.littleEndian(8, "a zip64 extra field") }
            if compressed == 0xffff_ffff { compressed = try field.littleEndian(8, "a zip64 extra field") }
            if local == 0xffff_ffff { local = try field.littleEndian(8, "a zip64 extra field") }
        }
        guard local < UInt64(bytes.count), signature(bytes, Int(local), 0x0403_4b50) else {
            throw CheckpointFailure.malformed("ZIP member \(name) has no local header")
        }
        var localCursor = ByteCursor(bytes, start: Int(local) + 26)
        let nameLength = Int(try localCursor.littleEndian(2, "a ZIP local header"))
        let extraLength = Int(try localCursor.littleEndian(2, "a ZIP local header"))
        _ = try localCursor.take(nameLength + extraLength, "a ZIP local header")
        let size = method == 0 ? uncompressed : compressed
        guard size <= UInt64(localCursor.remaining) else { throw CheckpointFailure.truncated("ZIP member \(name)") }
        let data = try localCursor.take(Int(size), "ZIP member \(name)")
        return Entry(name: name, method: method, data: data)
    }
}

/// A bounds-checked reading position inside a byte array: every read that would pass `end`
/// throws ``CheckpointFailure/truncated(_:)`` instead of trapping.
struct ByteCursor {
    /// The whole file.
    let bytes: [UInt8]
    /// The next byte to read.
    var offset: Int
    /// One past the last byte this cursor may read.
    let end: Int

    /// A cursor over `bytes[start..<end]`.
    init(_ bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.end = max(min(end ?? bytes.count, bytes.count), 0)
        self.offset = min(max(start, 0), self.end + 1)
    }

    /// Bytes left before `end` (a cursor started past `end` has none and every read throws).
    var remaining: Int { max(end - offset, 0) }

    /// Claims the next `count` bytes and returns their range. - Throws: if fewer remain.
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> Range<Int> {
        guard count >= 0, offset <= end, count <= remaining else { throw CheckpointFailure.truncated(what()) }
        defer { offset += count }
        return offset..<(offset + count)
    }

    /// Reads one byte.
    mutating func byte(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard offset < end else { throw CheckpointFailure.truncated(what()) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads an unsigned little-endian integer of `width` bytes (1...8).
    mutating func littleEndian(_ width: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        let range = try take(width, what())
        return ByteCursor.littleEndian(bytes, range)
    }

    /// The unsigned little-endian integer stored in `bytes[range]` (at most 8 bytes).
    static func littleEndian(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0
        for index in range.reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}

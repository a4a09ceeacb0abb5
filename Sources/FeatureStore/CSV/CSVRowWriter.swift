import Glibc

/// Writes rows of the cookbook's CSV layout (`class,feature_0,…,feature_{D-1}`) through one
/// reused byte buffer into a `.partial` file, renamed into place by `finish()`.
///
/// Floats are written in their shortest round-trip form (`Float.description`), so parsing a
/// value back as float32 gives the identical bit pattern.
final class CSVRowWriter {
    private let destination: String
    private let temporary: String
    private let overwrite: Bool
    private var descriptor: Int32
    private var bytes: [UInt8] = []
    private let flushThreshold = 1 << 20
    /// Rows written so far (the header excluded).
    private(set) var rowCount = 0

    /// Creates `destination.partial` and writes the header.
    /// - Parameters:
    ///   - destination: the final file name.
    ///   - dimension: features per row.
    ///   - overwrite: allow `finish()` to replace an existing `destination`.
    /// - Throws: `FeatureStoreError.alreadyExists` when `destination` exists and `overwrite` is
    ///   false; `.io` when the file cannot be created.
    init(destination: String, dimension: Int, overwrite: Bool) throws(FeatureStoreError) {
        if !overwrite, access(destination, F_OK) == 0 { throw .alreadyExists(path: destination) }
        self.destination = destination
        self.overwrite = overwrite
        temporary = destination + ".partial"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        bytes.reserveCapacity(flushThreshold + 64 * 1024)
        bytes.append(contentsOf: "class".utf8)
        for column in 0..<dimension { bytes.append(contentsOf: ",feature_\(column)".utf8) }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends one row: the label, then the features.
    /// - Throws: `.io` when the buffer cannot be written out.
    func append(label: Int, features: UnsafeBufferPointer<Float>) throws(FeatureStoreError) {
        var text = label.description
        text.withUTF8 { bytes.append(contentsOf: $0) }
        for value in features {
            bytes.append(UInt8(ascii: ","))
            text = value.description
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
        bytes.append(UInt8(ascii: "\n"))
        rowCount += 1
        if bytes.count >= flushThreshold { try writeOut() }
    }

    /// Writes what is buffered, closes the file and renames it into place.
    /// - Throws: `.io` on a write failure; `.alreadyExists` as in `init`.
    func finish() throws(FeatureStoreError) {
        try writeOut()
        guard close(descriptor) == 0 else { throw .io(operation: "close", path: temporary, errno: errno) }
        descriptor = -1
        try moveIntoPlace(temporary, destination, overwrite: overwrite)
    }

    /// Closes and removes the temporary file after a failure elsewhere.
    func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    private func writeOut() throws(FeatureStoreError) {
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if let failure { throw .io(operation: "write", path: temporary, errno: failure) }
        bytes.removeAll(keepingCapacity: true)
    }

    deinit { abandon() }
}

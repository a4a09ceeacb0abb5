import CSpotcheckShims
import FileSafety
import Foundation

/// Decodes JPEG and PNG files to 8-bit RGB with Pillow's conventions (see
/// `shared/tools/README.md`): grayscale replicated, palettes expanded, 16-bit samples reduced
/// to their high byte, Adobe CMYK/YCCK converted as Pillow does, alpha composited onto white
/// with `(c·a + 255·(255 − a) + 127) / 255`. The format is sniffed from the first bytes, never
/// taken from the extension. Bad files throw ``ImageDecodingError``; nothing here ends the
/// process, headers claiming more than `maxPixels` pixels are refused before allocating, and
/// a decode needing more than `decodeBudget` bytes (pixel buffers, codec work arrays, the
/// upright copy) is refused before that memory is taken. FIFOs, devices and sockets are never
/// opened. By default the orientation the file records is applied as Pillow's
/// `ImageOps.exif_transpose` does (see ``ImageOrientation``).
///
/// An instance owns reusable buffers and is not thread-safe: use one per thread. The buffers it
/// keeps stay below `maxFileBytes + decodeBudget` bytes.
public final class ImageDecoder {
    /// The default decode budget, 256 MiB: 89,478,485 RGB pixels (Pillow's `MAX_IMAGE_PIXELS`,
    /// chosen the same way) at 3 bytes each.
    public static let defaultDecodeBudget = 256 << 20

    /// The largest `width × height` accepted.
    public let maxPixels: Int
    /// The largest file size read, in bytes.
    public let maxFileBytes: Int
    /// The most memory one decode may use, in bytes (file bytes not included).
    public let decodeBudget: Int
    /// Whether the recorded orientation is applied (Pillow's `exif_transpose`).
    public let appliesOrientation: Bool
    private var fileBytes: [UInt8] = []
    private var output = spot_buffer(data: nil, capacity: 0)

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxPixels: headers claiming more pixels than this are refused (default 100 megapixels).
    ///   - maxFileBytes: files larger than this are refused unread (default 256 MiB).
    ///   - decodeBudget: the most memory one decode may use (default ``defaultDecodeBudget``).
    ///   - appliesOrientation: apply the orientation the file records (default true, as
    ///     Pillow's `ImageOps.exif_transpose`).
    public init(maxPixels: Int = 100_000_000, maxFileBytes: Int = 256 << 20,
                decodeBudget: Int = ImageDecoder.defaultDecodeBudget, appliesOrientation: Bool = true) {
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
        self.decodeBudget = decodeBudget
        self.appliesOrientation = appliesOrientation
    }

    deinit { spot_buffer_free(&output) }

    /// Decodes a file to a new ``RGBImage``.
    /// - Parameters:
    ///   - url: a JPEG or PNG file.
    ///   - minimumShorterSide: when > 0, a large JPEG may be decoded at 1/2, 1/4 or 1/8 size
    ///     (libjpeg DCT scaling) as long as its shorter side stays at least this long;
    ///     0 (the default) always decodes at full size, as Pillow does.
    /// - Returns: the pixels.
    /// - Throws: ``ImageDecodingError`` naming the file and the reason.
    public func decode(contentsOf url: URL, minimumShorterSide: Int = 0) throws(ImageDecodingError) -> RGBImage {
        try withDecodedPixels(contentsOf: url, minimumShorterSide: minimumShorterSide) { pixels, width, height in
            RGBImage(width: width, height: height, pixels: Array(pixels))
        }
    }

    /// Decodes a file and lends its pixels, without copying, to `body`.
    /// - Parameters:
    ///   - url: a JPEG or PNG file.
    ///   - minimumShorterSide: as in ``decode(contentsOf:minimumShorterSide:)``.
    ///   - body: receives `width × height × 3` RGB bytes (valid only during the call), the width
    ///     and the height.
    /// - Returns: what `body` returns.
    /// - Throws: ``ImageDecodingError`` naming the file and the reason.
    public func withDecodedPixels<Value>(
        contentsOf url: URL, minimumShorterSide: Int = 0,
        _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> Value
    ) throws(ImageDecodingError) -> Value {
        let path = url.path
        let size = try readFile(path)
        let format = try sniff(path: path, size: size)
        var info = spot_decode_info()
        let budget = Int64(decodeBudget)
        let status = fileBytes.withUnsafeBufferPointer { bytes -> spot_status in
            guard let base = bytes.baseAddress else { return SPOT_ERR_CORRUPT }
            switch format {
            case .jpeg:
                return spot_jpeg_decode(base, size, Int32(clamping: minimumShorterSide),
                                        Int64(maxPixels), budget, &output, &info)
            case .png:
                return spot_png_decode(base, size, Int64(maxPixels), budget, &output, &info)
            }
        }
        let message = withUnsafeBytes(of: info.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch status {
        case SPOT_OK:
            break
        case SPOT_ERR_TRUNCATED:
            throw ImageDecodingError(path: path, reason: .truncated(message))
        case SPOT_ERR_TOO_LARGE:
            throw ImageDecodingError(path: path, reason: .tooLarge(
                width: Int(info.source_width), height: Int(info.source_height), limit: maxPixels))
        case SPOT_ERR_NO_MEMORY:
            throw ImageDecodingError(path: path, reason: .outOfMemory(message))
        case SPOT_ERR_UNSUPPORTED:
            throw ImageDecodingError(path: path, reason: .unsupported(message))
        case SPOT_ERR_OVER_BUDGET:
            throw ImageDecodingError(path: path, reason: .overBudget(message))
        default:
            throw ImageDecodingError(path: path, reason: .corrupt(message))
        }
        let width = Int(info.width), height = Int(info.height), count = width * height * 3
        let orientation = appliesOrientation
            ? fileBytes.withUnsafeBufferPointer { ImageOrientation.of(file: UnsafeBufferPointer(rebasing: $0[0..<size])) }
            : .normal
        if orientation != .normal {
            // The upright copy goes right after the stored pixels, in the same buffer (the one
            // buffer a decoder keeps, so its size is what the budget bounds).
            let needed = max(Int(info.needed_bytes), 2 * count)
            guard needed <= decodeBudget else {
                throw ImageDecodingError(path: path, reason: .overBudget(
                    "turning \(width) x \(height) pixels upright needs \(needed) bytes, over the budget of \(decodeBudget) bytes"))
            }
            guard spot_buffer_reserve(&output, 2 * count) != 0 else {
                throw ImageDecodingError(path: path, reason: .outOfMemory("cannot allocate \(2 * count) bytes"))
            }
        }
        guard let data = output.data else {
            throw ImageDecodingError(path: path, reason: .outOfMemory("no output buffer"))
        }
        let stored = UnsafeBufferPointer(start: data, count: count)
        guard orientation != .normal else { return body(stored, width, height) }
        let turned = orientation.apply(stored, width: width, height: height,
                                       into: UnsafeMutableBufferPointer(start: data + count, count: count))
        return body(UnsafeBufferPointer(start: data + count, count: count), turned.width, turned.height)
    }

    private enum Format { case jpeg, png }

    /// Reads the whole file into `fileBytes` (reused between calls); returns its size.
    private func readFile(_ path: String) throws(ImageDecodingError) -> Int {
        let descriptor: Int32, size: Int
        switch FileKind.openRegularFile(path) {
        case .success(let file):
            (descriptor, size) = file
        case .failure(let refusal) where refusal.kind == .missing:
            throw ImageDecodingError(path: path, reason: .unreadable(refusal.description))
        case .failure(let refusal):
            throw ImageDecodingError(path: path, reason: .notARegularFile(refusal.kind.description))
        }
        defer { close(descriptor) }
        guard size > 0 else { throw ImageDecodingError(path: path, reason: .empty) }
        guard size <= maxFileBytes else {
            throw ImageDecodingError(path: path, reason: .unreadable(
                "the file has \(size) bytes, over the limit of \(maxFileBytes)"))
        }
        if fileBytes.count < size { fileBytes = [UInt8](repeating: 0, count: size) }
        var done = 0
        let failure: Int32? = fileBytes.withUnsafeMutableBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return EINVAL }
            while done < size {
                let got = read(descriptor, base + done, size - done)
                if got < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if got == 0 { break }
                done += got
            }
            return nil
        }
        if let failure {
            throw ImageDecodingError(path: path, reason: .unreadable(String(cString: strerror(failure))))
        }
        guard done > 0 else { throw ImageDecodingError(path: path, reason: .empty) }
        return done
    }

    /// Recognises JPEG (FF D8 FF) and PNG (the 8-byte signature) from the content.
    private func sniff(path: String, size: Int) throws(ImageDecodingError) -> Format {
        let head = fileBytes.prefix(min(size, 8))
        if head.count >= 3, head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.count >= 8, head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        let shown = head.map { byte -> String in
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
        }.joined()
        throw ImageDecodingError(path: path, reason: .unrecognisedFormat("\"\(shown)\""))
    }
}

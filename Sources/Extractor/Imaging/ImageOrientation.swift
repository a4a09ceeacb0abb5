/// The orientation an image file records (EXIF tag 274, or XMP `tiff:Orientation` when EXIF has
/// none) and how to undo it, exactly as Pillow's `ImageOps.exif_transpose` does: values 2–8
/// map to Pillow's transposes, anything else leaves the pixels as stored.
///
/// Read from: a JPEG's first `Exif` APP1 segment (later ones appended, as Pillow) and its
/// XMP APP1 segment; a PNG's `eXIf` chunk, `Raw profile type exif` tEXt chunk and uncompressed
/// `XML:com.adobe.xmp` tEXt/iTXt chunk (compressed zTXt/iTXt chunks are not read).
public enum ImageOrientation: Int, Sendable, CaseIterable {
    /// Stored as shown (tag 1, or no tag).
    case normal = 1
    /// Pillow's `FLIP_LEFT_RIGHT` undoes it.
    case mirrored = 2
    /// `ROTATE_180`.
    case upsideDown = 3
    /// `FLIP_TOP_BOTTOM`.
    case flipped = 4
    /// `TRANSPOSE` (mirror along the main diagonal).
    case transposed = 5
    /// `ROTATE_270` (a quarter turn clockwise) — what most phones held upright record.
    case rotatedClockwise = 6
    /// `TRANSVERSE` (mirror along the other diagonal).
    case transversed = 7
    /// `ROTATE_90` (a quarter turn counter-clockwise).
    case rotatedCounterClockwise = 8

    /// Whether undoing it swaps width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation a JPEG or PNG file records; `.normal` when it records none or the data
    /// cannot be parsed.
    /// - Parameter file: the whole file.
    /// - Returns: the orientation.
    package static func of(file: UnsafeBufferPointer<UInt8>) -> ImageOrientation {
        let tag: Int?
        if file.starts(with: [0xFF, 0xD8]) {
            tag = jpegTag(file)
        } else if file.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            tag = pngTag(file)
        } else {
            tag = nil
        }
        return tag.flatMap(ImageOrientation.init(rawValue:)) ?? .normal
    }

    /// Where output pixel (x, y) comes from in the stored image of `width × height`.
    @inline(__always)
    func source(x: Int, y: Int, width: Int, height: Int) -> (x: Int, y: Int) {
        switch self {
        case .normal: return (x, y)
        case .mirrored: return (width - 1 - x, y)
        case .upsideDown: return (width - 1 - x, height - 1 - y)
        case .flipped: return (x, height - 1 - y)
        case .transposed: return (y, x)
        case .rotatedClockwise: return (y, height - 1 - x)
        case .transversed: return (width - 1 - y, height - 1 - x)
        case .rotatedCounterClockwise: return (width - 1 - y, x)
        }
    }

    /// Writes the upright image: `pixels` (`width × height` RGB) undone into `out`.
    /// - Parameters:
    ///   - pixels: the stored pixels.
    ///   - width: the stored width.
    ///   - height: the stored height.
    ///   - out: room for `width × height × 3` bytes.
    /// - Returns: the upright width and height.
    func apply(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
               into out: UnsafeMutableBufferPointer<UInt8>) -> (width: Int, height: Int) {
        let outWidth = swapsSides ? height : width, outHeight = swapsSides ? width : height
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let from = source(x: x, y: y, width: width, height: height)
                let s = (from.y * width + from.x) * 3, d = (y * outWidth + x) * 3
                out[d] = pixels[s]
                out[d + 1] = pixels[s + 1]
                out[d + 2] = pixels[s + 2]
            }
        }
        return (outWidth, outHeight)
    }

    // MARK: - Reading the tag

    private static let exifHeader: [UInt8] = Array("Exif\0\0".utf8)
    private static let xmpHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/\0".utf8)

    /// The tag of a JPEG: segments up to the first scan.
    private static func jpegTag(_ file: UnsafeBufferPointer<UInt8>) -> Int? {
        var exif: [UInt8]?, xmp: ArraySlice<UInt8>?
        var at = 2
        while at + 4 <= file.count {
            guard file[at] == 0xFF else { break }
            let marker = file[at + 1]
            if marker == 0xFF { at += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { at += 2; continue }  // no length
            if marker == 0xDA || marker == 0xD9 { break }  // scan data or end: no more metadata
            let length = Int(file[at + 2]) << 8 | Int(file[at + 3])
            guard length >= 2, at + 2 + length <= file.count else { break }
            let segment = file[(at + 4)..<(at + 2 + length)]
            if marker == 0xE1 {
                if segment.starts(with: exifHeader) {
                    if exif == nil { exif = Array(segment) } else { exif?.append(contentsOf: segment.dropFirst(6)) }
                } else if segment.starts(with: xmpHeader) {
                    xmp = ArraySlice(segment.dropFirst(xmpHeader.count))
                }
            }
            at += 2 + length
        }
        return exif.flatMap { tiffTag($0[...]) } ?? xmp.flatMap(xmpTag)
    }

    /// The tag of a PNG: every chunk up to IEND (Pillow reads those after the image data too).
    private static func pngTag(_ file: UnsafeBufferPointer<UInt8>) -> Int? {
        var exif: ArraySlice<UInt8>?, rawProfile: ArraySlice<UInt8>?, xmp: ArraySlice<UInt8>?
        var at = 8
        while at + 12 <= file.count {
            let length = Int(file[at]) << 24 | Int(file[at + 1]) << 16 | Int(file[at + 2]) << 8 | Int(file[at + 3])
            guard length <= file.count - at - 12 else { break }
            let type = String(decoding: file[(at + 4)..<(at + 8)], as: UTF8.self)
            let data = ArraySlice(file[(at + 8)..<(at + 8 + length)])
            switch type {
            case "IEND": at = file.count
            case "eXIf": exif = data
            case "tEXt":
                if let zero = data.firstIndex(of: 0) {
                    let key = String(decoding: data[..<zero], as: UTF8.self), value = data[(zero + 1)...]
                    if key == "Raw profile type exif" { rawProfile = value }
                    if key == "XML:com.adobe.xmp" { xmp = value }
                }
            case "iTXt":
                // keyword \0 compressed-flag method language \0 translated \0 text
                if let zero = data.firstIndex(of: 0), String(decoding: data[..<zero], as: UTF8.self) == "XML:com.adobe.xmp",
                   data.count >= zero + 3, data[zero + 1] == 0 {
                    let rest = data[(zero + 3)...]
                    if let language = rest.firstIndex(of: 0), let translated = rest[(language + 1)...].firstIndex(of: 0) {
                        xmp = rest[(translated + 1)...]
                    }
                }
            default: break
            }
            at += 12 + length
        }
        if let exif { return tiffTag(exif) ?? xmp.flatMap(xmpTag) }
        if let rawProfile { return hexProfile(rawProfile).flatMap { tiffTag($0[...]) } ?? xmp.flatMap(xmpTag) }
        return xmp.flatMap(xmpTag)
    }

    /// The bytes of ImageMagick's "Raw profile" text: a blank line, the name, the length, then
    /// hex digits over several lines (Pillow keeps lines 4 on and reads them as hex).
    private static func hexProfile(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count > 3 else { return nil }
        var bytes: [UInt8] = [], high: UInt8?
        for byte in lines.dropFirst(3).joined() {
            let nibble: UInt8
            switch byte {
            case 0x30...0x39: nibble = byte - 0x30
            case 0x61...0x66: nibble = byte - 0x61 + 10
            case 0x41...0x46: nibble = byte - 0x41 + 10
            case 0x20, 0x09, 0x0D: continue
            default: return nil
            }
            if let first = high { bytes.append(first << 4 | nibble); high = nil } else { high = nibble }
        }
        return high == nil ? bytes : nil
    }

    /// Tag 274 of IFD0 of a TIFF structure (after up to two `Exif\0\0` headers), when it holds
    /// one integer.
    private static func tiffTag(_ data: ArraySlice<UInt8>) -> Int? {
        var tiff = data
        for _ in 0..<2 where tiff.starts(with: exifHeader) { tiff = tiff.dropFirst(6) }
        let bytes = Array(tiff)
        guard bytes.count >= 8 else { return nil }
        let little: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for entry in 0..<entries {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2), let count = u32(at + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            guard count == 1 else { return nil }
            switch type {
            case 1: return at + 8 < bytes.count ? Int(bytes[at + 8]) : nil
            case 6: return at + 8 < bytes.count ? Int(Int8(bitPattern: bytes[at + 8])) : nil
            case 3: return u16(at + 8)
            case 8: return u16(at + 8).map { Int(Int16(truncatingIfNeeded: $0)) }
            case 4: return u32(at + 8)
            case 9: return u32(at + 8).map { Int(Int32(truncatingIfNeeded: $0)) }
            default: return nil
            }
        }
        return nil
    }

    /// The first `tiff:Orientation="N` or `tiff:Orientation>N` of XMP text.
    private static func xmpTag(_ text: ArraySlice<UInt8>) -> Int? {
        let key = Array("tiff:Orientation".utf8)
        var start = text.startIndex
        while let found = text[start...].firstRange(of: key) {
            var at = found.upperBound
            if at < text.endIndex, text[at] == UInt8(ascii: "=") {
                at += 1
                guard at < text.endIndex, text[at] == UInt8(ascii: "\"") else { start = found.upperBound; continue }
                at += 1
            } else if at < text.endIndex, text[at] == UInt8(ascii: ">") {
                at += 1
            } else {
                start = found.upperBound
                continue
            }
            if at < text.endIndex, (0x30...0x39).contains(text[at]) { return Int(text[at] - 0x30) }
            start = found.upperBound
        }
        return nil
    }
}

import CSpotcheckShims
import FileSafety
import Foundation

/// Writes baseline JPEGs with libjpeg-turbo (defaults: 4:2:0 chroma subsampling), for the
/// orientation dataset, report thumbnails, benchmarks and tests; errors come back as
/// ``ImageDecodingError`` naming the file.
package enum JPEGEncoder {
    /// Encodes an image as JPEG bytes.
    /// - Parameters:
    ///   - image: the RGB pixels.
    ///   - quality: libjpeg quality, 1…100 (default 90).
    ///   - name: the name errors give the image.
    /// - Returns: the JPEG file's bytes.
    /// - Throws: ``ImageDecodingError`` when encoding fails.
    package static func encode(_ image: RGBImage, quality: Int = 90, name: String = "image") throws(ImageDecodingError) -> Data {
        var buffer = spot_buffer(data: nil, capacity: 0)
        defer { spot_buffer_free(&buffer) }
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            spot_jpeg_encode_rgb(pixels.baseAddress, Int32(image.width), Int32(image.height),
                                 Int32(quality), &buffer, &size, &message)
        }
        guard status == SPOT_OK, let data = buffer.data else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(path: name, reason: .corrupt("encoding failed: \(text)"))
        }
        return Data(bytes: data, count: size)
    }

    /// Encodes an image and writes it to `url` (through a temporary name, moved into place).
    /// - Parameters:
    ///   - image: the RGB pixels.
    ///   - url: the file to write (replaced if it exists).
    ///   - quality: libjpeg quality, 1…100 (default 90).
    /// - Throws: ``ImageDecodingError`` when encoding or writing fails.
    package static func write(_ image: RGBImage, to url: URL, quality: Int = 90) throws(ImageDecodingError) {
        let data = try encode(image, quality: quality, name: url.path)
        do {
            try AtomicFile.write(data, to: url, replacing: true)
        } catch {
            throw ImageDecodingError(path: url.path, reason: .unreadable("cannot write: \(error)"))
        }
    }
}

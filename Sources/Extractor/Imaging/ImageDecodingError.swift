/// Why one image file could not be turned into pixels. Every decoding failure is one of
/// these (the process never stops on a bad file); the pipeline skips the file and reports it.
public struct ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Reason: Sendable, Equatable {
        /// The file could not be opened or read (the system's message).
        case unreadable(String)
        /// The file has zero bytes.
        case empty
        /// The content is neither JPEG nor PNG, whatever the extension says (what it starts with).
        case unrecognisedFormat(String)
        /// The codec rejected the data (its message).
        case corrupt(String)
        /// The data ends before the image does.
        case truncated(String)
        /// The header claims more pixels than the limit allows; nothing was allocated.
        case tooLarge(width: Int, height: Int, limit: Int)
        /// A colour space or layout that is not converted (the codec's message).
        case unsupported(String)
        /// The pixel buffer could not be allocated.
        case outOfMemory(String)
        /// Decoding would need more memory than the decoder's budget (the codec's message);
        /// nothing that large was allocated.
        case overBudget(String)
        /// The path names a FIFO, device, socket or folder (what it is), which is never opened.
        case notARegularFile(String)
    }

    /// The file that failed.
    public let path: String
    /// What went wrong.
    public let reason: Reason

    /// Creates an error for `path`.
    /// - Parameters:
    ///   - path: the file that failed.
    ///   - reason: what went wrong.
    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// What went wrong and what to do, naming the file.
    public var description: String {
        switch reason {
        case .unreadable(let message):
            return "cannot read \(path): \(message); check that the file exists and is readable"
        case .empty:
            return "\(path) is empty (0 bytes); remove it or replace it with a real image"
        case .unrecognisedFormat(let start):
            return "\(path) is not a JPEG or PNG file (it starts with \(start)); remove it or convert it"
        case .corrupt(let message):
            return "\(path) is a corrupt image (\(message)); remove it or re-export it"
        case .truncated(let message):
            return "\(path) is truncated (\(message)); copy the file again or remove it"
        case .tooLarge(let width, let height, let limit):
            return "\(path) claims \(width) × \(height) pixels, over the limit of \(limit); "
                + "downscale it or raise the pixel limit"
        case .unsupported(let message):
            return "\(path) uses an unsupported layout (\(message)); convert it to RGB JPEG or PNG"
        case .outOfMemory(let message):
            return "\(path) could not be decoded: out of memory (\(message)); free memory or downscale it"
        case .overBudget(let message):
            return "\(path) is too large to decode within the memory budget (\(message)); "
                + "downscale it or allow a larger decode budget"
        case .notARegularFile(let kind):
            return "\(path) is \(kind), not a regular file, so it is not read; remove it or replace it with an image"
        }
    }
}

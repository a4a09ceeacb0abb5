import Extractor
import Foundation

/// An input file that was left out, and why.
public struct SkippedFile: Codable, Sendable, Hashable {
    /// The file's path.
    public var path: String
    /// Why it was left out, in words.
    public var reason: String

    /// A skipped file.
    /// - Parameters:
    ///   - path: the file's path.
    ///   - reason: why it was left out.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

extension SkippedFile {
    /// An image left out of a store made earlier (its decoding failure was reported then):
    /// decoded again for the decoder's reason.
    /// - Parameter image: the image file.
    public init(leftOut image: URL) {
        let reason: String
        do {
            _ = try ImageDecoder().decode(contentsOf: image)
            reason = "missing from a feature store"
        } catch {
            reason = error.description
        }
        self.init(path: image.path, reason: reason)
    }
}

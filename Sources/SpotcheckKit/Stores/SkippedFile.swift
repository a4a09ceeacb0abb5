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

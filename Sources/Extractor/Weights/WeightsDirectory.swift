import Foundation

/// Where scripts/setup puts the pretrained weight files: `$SPOTCHECK_CACHE/weights`, by default
/// `~/.cache/spotcheck/weights`.
package enum WeightsDirectory {
    /// The weights folder for the current environment.
    /// - Parameter environment: the process environment (injectable for tests).
    /// - Returns: the folder (it may not exist yet).
    package static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let cache = environment["SPOTCHECK_CACHE"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/spotcheck")
        return cache.appendingPathComponent("weights")
    }

    /// The path of one weight file, e.g. `file("mobilenet_v2-b0353104.pth")`.
    /// - Parameter name: the file name.
    /// - Returns: its URL inside ``url(environment:)``.
    package static func file(_ name: String) -> URL { url().appendingPathComponent(name) }
}

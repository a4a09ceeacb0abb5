import ArgumentParser
import Extractor
import Foundation

/// Image files named on the command line or found under a folder: .jpg, .jpeg and .png in any
/// letter case (`DatasetDiscovery.imageExtensions`), hidden entries skipped, symbolic links
/// followed, in a stable byte-wise order.
enum ImageFiles {
    /// Image files under `folder`, recursively, as sorted paths relative to it.
    /// - Throws: `ValidationError` when `folder` is not a folder.
    static func relativePaths(under folder: URL) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue,
              let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw ValidationError("\(folder.path) is not a folder; pass the folder holding the images")
        }
        let base = folder.resolvingSymlinksInPath().path
        var found = [String]()
        for case let url as URL in walker
        where DatasetDiscovery.imageExtensions.contains(url.pathExtension.lowercased())
            && (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.resolvingSymlinksInPath().path
            found.append(path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : url.lastPathComponent)
        }
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Expands command-line arguments: files as given, folders searched recursively.
    /// - Throws: `ValidationError` for a path that does not exist or when no image is found.
    static func collect(_ arguments: [String]) throws -> [URL] {
        var files = [URL]()
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw ValidationError("\(argument) does not exist")
            }
            let url = URL(fileURLWithPath: argument)
            files += isFolder.boolValue ? try relativePaths(under: url).map { url.appendingPathComponent($0) } : [url]
        }
        guard !files.isEmpty else { throw ValidationError("no .jpg/.jpeg/.png images in \(arguments.joined(separator: " "))") }
        return files
    }
}

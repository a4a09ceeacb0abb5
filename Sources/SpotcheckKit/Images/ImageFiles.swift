import Extractor
import Foundation

/// Image files named on the command line or found under a folder: .jpg, .jpeg and .png in any
/// letter case (`DatasetDiscovery.imageExtensions`), hidden entries skipped, symbolic links
/// followed, in a stable byte-wise order.
public enum ImageFiles {
    /// Image files under `folder`, recursively, as sorted paths relative to it.
    /// - Throws: `ImageFilesError.notAFolder` when `folder` is not a folder.
    public static func relativePaths(under folder: URL) throws(ImageFilesError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue,
              let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw .notAFolder(folder.path)
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
    /// - Throws: `ImageFilesError` for a path that does not exist or when no image is found.
    public static func collect(_ arguments: [String]) throws(ImageFilesError) -> [URL] {
        var files = [URL]()
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw .missing(argument)
            }
            let url = URL(fileURLWithPath: argument)
            files += isFolder.boolValue ? try relativePaths(under: url).map { url.appendingPathComponent($0) } : [url]
        }
        guard !files.isEmpty else { throw .noImages(arguments) }
        return files
    }
}

/// Why image files could not be listed.
public enum ImageFilesError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing(String)
    /// The path is not a folder.
    case notAFolder(String)
    /// No image file was found.
    case noImages([String])

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .missing(let path): return "\(path) does not exist; check the path"
        case .notAFolder(let path): return "\(path) is not a folder; pass the folder holding the images"
        case .noImages(let paths):
            return "no .jpg, .jpeg or .png files in \(paths.joined(separator: " ")); check the paths"
        }
    }
}

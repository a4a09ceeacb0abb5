import Foundation

/// Finds the labelled images of a folder laid out as `DIR/<class>/<image>` or, as in the
/// cookbook, `DIR/images/<class>/<image>`. The label is the name of the image's parent folder.
/// `.jpg`, `.jpeg` and `.png` in any letter case are taken; symbolic links are followed; hidden
/// entries (names starting with `.`) are ignored; everything else is listed as skipped with a
/// reason. Names are sorted byte-wise, so the order is the same on every machine.
public enum DatasetDiscovery {
    /// Extensions taken as images (compared lower-cased).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Scans a dataset folder.
    /// - Parameter folder: `DIR`, holding class folders directly or under `images/`.
    /// - Returns: the classes, samples, skipped entries, warnings and fingerprint.
    /// - Throws: ``DatasetError`` when the folder is missing or unreadable, has no class
    ///   folders, or fewer than two classes with images.
    public static func discover(at folder: URL) throws(DatasetError) -> Dataset {
        let base = folder.standardizedFileURL
        switch kind(of: base.path) {
        case .missing: throw .missing(path: base.path)
        case .file, .other: throw .notAFolder(path: base.path)
        case .folder: break
        }
        let cookbookLayout = try usesImagesLayout(base)
        let root = cookbookLayout ? base.appendingPathComponent("images") : base
        var skipped: [Dataset.Skipped] = []
        if cookbookLayout {
            for entry in try listing(base) where entry.name != "images" {
                skipped.append(.init(url: base.appendingPathComponent(entry.name), reason: "outside DIR/images (cookbook layout)"))
            }
        }
        var warnings: [String] = []
        var classFolders: [String] = []
        for entry in try listing(root) {
            let url = root.appendingPathComponent(entry.name)
            guard entry.isUTF8 else {
                skipped.append(.init(url: url, reason: Self.notUTF8))
                continue
            }
            switch kind(of: url.path) {
            case .folder: classFolders.append(entry.name)
            case .missing: skipped.append(.init(url: url, reason: "broken symbolic link"))
            default: skipped.append(.init(url: url, reason: "not inside a class folder"))
            }
        }
        guard !classFolders.isEmpty else { throw .noClassFolders(path: root.path) }

        var classes: [String] = []
        var samples: [Dataset.Sample] = []
        var hasher = FingerprintHasher()
        for className in classFolders {
            let classURL = root.appendingPathComponent(className)
            let entries: [Entry]
            do {
                entries = try listing(classURL)
            } catch {
                warnings.append("class folder \(classURL.path) cannot be listed (\(error)); it is left out")
                skipped.append(.init(url: classURL, reason: "unreadable class folder"))
                continue
            }
            var found: [(url: URL, status: stat)] = []
            for entry in entries {
                let url = classURL.appendingPathComponent(entry.name)
                guard entry.isUTF8 else {
                    skipped.append(.init(url: url, reason: Self.notUTF8))
                    continue
                }
                var status = stat()
                guard stat(url.path, &status) == 0 else {
                    skipped.append(.init(url: url, reason: "broken symbolic link or unreadable entry"))
                    continue
                }
                if status.st_mode & S_IFMT == S_IFDIR {
                    skipped.append(.init(url: url, reason: "sub-folder inside a class folder (only DIR/<class>/<image> is scanned)"))
                } else if status.st_mode & S_IFMT != S_IFREG {
                    skipped.append(.init(url: url, reason: "not a regular file"))
                } else if !imageExtensions.contains(url.pathExtension.lowercased()) {
                    skipped.append(.init(url: url, reason: "not a .jpg, .jpeg or .png file"))
                } else {
                    found.append((url, status))
                }
            }
            guard !found.isEmpty else {
                warnings.append("class folder \(classURL.path) has no .jpg/.jpeg/.png images; class \"\(className)\" is left out")
                continue
            }
            hasher.add(className)
            for (url, status) in found {
                samples.append(.init(url: url, label: classes.count))
                hasher.add(className + "/" + url.lastPathComponent)
                // The change time and inode too: rewriting a file and setting its date back
                // keeps size and mtime, but the kernel always moves the ctime.
                hasher.add("\(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) "
                           + "\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec) \(status.st_dev):\(status.st_ino)")
            }
            classes.append(className)
        }
        guard classes.count >= 2 else { throw .tooFewClasses(path: root.path, classesWithImages: classes) }
        return Dataset(root: root, classes: classes, samples: samples, skipped: skipped, warnings: warnings,
                       fingerprint: hasher.hexDigest)
    }

    private enum Kind { case missing, file, folder, other }

    /// The kind of what a path names, following symbolic links.
    private static func kind(of path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// The reason given for a name that is not UTF-8 (it could not be stored, shown or matched
    /// reliably, so the entry is left out rather than guessed at).
    static let notUTF8 = "the name is not valid UTF-8 (shown with \u{FFFD} for the bad bytes); rename it to include it"

    /// One name in a folder: as text (bad bytes replaced by U+FFFD when it is not UTF-8).
    private struct Entry {
        let name: String
        let isUTF8: Bool
        let bytes: [UInt8]
    }

    /// Non-hidden entries of a folder, sorted byte-wise, with names as the file system stores
    /// them (bytes), so that a name that is not UTF-8 is reported as such.
    private static func listing(_ folder: URL) throws(DatasetError) -> [Entry] {
        guard let directory = opendir(folder.path) else {
            throw .unreadable(path: folder.path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var entries: [Entry] = []
        while let record = readdir(directory) {
            let bytes = withUnsafeBytes(of: record.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let first = bytes.first, first != UInt8(ascii: ".") else { continue }
            let text = String(validating: bytes, as: UTF8.self)
            entries.append(Entry(name: text ?? String(decoding: bytes, as: UTF8.self), isUTF8: text != nil, bytes: bytes))
        }
        return entries.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }

    /// The cookbook layout: `DIR/images` is a folder that itself holds folders.
    private static func usesImagesLayout(_ base: URL) throws(DatasetError) -> Bool {
        let images = base.appendingPathComponent("images")
        guard kind(of: images.path) == .folder else { return false }
        return try listing(images).contains { $0.isUTF8 && kind(of: images.appendingPathComponent($0.name).path) == .folder }
    }
}

/// Two independent 64-bit FNV-1a hashes over length-prefixed strings: a cheap 128-bit
/// change detector (not a cryptographic hash).
struct FingerprintHasher {
    private var first: UInt64 = 0xcbf2_9ce4_8422_2325
    private var second: UInt64 = 0x6c62_272e_07bb_0142

    mutating func add(_ text: String) {
        mix(UInt8(truncatingIfNeeded: text.utf8.count))
        for byte in text.utf8 { mix(byte) }
        mix(0)
    }

    private mutating func mix(_ byte: UInt8) {
        first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        second = (second ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
    }

    var hexDigest: String {
        [first, second].map { value in
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}

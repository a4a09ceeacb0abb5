import CHDF5
import FileSafety
import Foundation
import Glibc

/// The check a reader makes before trusting a store whose datasets are HDF5 virtual datasets.
///
/// HDF5 reads a virtual dataset's missing or unreadable source — and every source beyond the
/// process's open-file limit — as fill values, without an error. So before a single row is read
/// every mapping is listed, the mappings must cover the rows exactly once, every source file
/// must be a readable HDF5 file beside the store holding exactly the rows mapped from it, and
/// the soft `RLIMIT_NOFILE` is raised so that all sources can stay open at once (or the store is
/// refused when even the hard limit is too low). Reads then refuse fill values as a last line
/// of defence (a source deleted after this check).
enum VirtualSourceAudit {
    /// Files a process keeps open besides the sources (standard streams, libraries, the store).
    static let spareDescriptors = 32

    /// Audits the virtual datasets among `datasets` (name, open dataset, columns or nil).
    /// - Parameters:
    ///   - datasets: the store's datasets with their rows and widths.
    ///   - path: the store file.
    /// - Returns: the resolved source files (empty when no dataset is virtual).
    /// - Throws: `.sourceUnusable`, `.tooManySources`, `.invalidLayout`.
    static func audit(_ datasets: [(name: String, dataset: HDF5Object, rows: Int, width: Int?)],
                      path: String) throws(FeatureStoreError) -> [String] {
        var mapped = [(name: String, rows: Int, width: Int?, mappings: [VirtualMapping])]()
        for entry in datasets where try HDF5.storage(of: entry.dataset, path: path).layout == H5D_VIRTUAL {
            let mappings = try VirtualMapping.mappings(of: entry.dataset, named: entry.name, width: entry.width, path: path)
            try requireCoverage(mappings, rows: entry.rows, name: entry.name, path: path)
            mapped.append((entry.name, entry.rows, entry.width, mappings))
        }
        guard !mapped.isEmpty else { return [] }
        if let prefix = ProcessInfo.processInfo.environment["HDF5_VDS_PREFIX"], !prefix.isEmpty {
            throw .sourceUnusable(path: path, source: "HDF5_VDS_PREFIX=\(prefix)",
                                  reason: "may be looked up elsewhere than beside the store, where it was checked (unset HDF5_VDS_PREFIX)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var uses = [String: [(mapping: VirtualMapping, width: Int?)]]()
        for entry in mapped {
            for mapping in entry.mappings {
                let resolved = mapping.file == "." ? path : (mapping.file.hasPrefix("/") ? mapping.file : folder + "/" + mapping.file)
                uses[resolved, default: []].append((mapping, entry.width))
            }
        }
        // Raised first: the checks below open every source, one at a time.
        let limit = OpenFileLimit.raiseSoftLimit()
        let files = uses.keys.sorted()
        for file in files {
            let opened = try open(file, store: path)
            for use in uses[file] ?? [] {
                try requireRows(use.mapping, in: opened, at: file, width: use.width, store: path)
            }
            opened.close()
        }
        let needed = files.count + OpenFileLimit.openDescriptors() + spareDescriptors
        guard needed <= limit else { throw .tooManySources(path: path, sources: files.count, limit: limit) }
        return files
    }

    /// Throws unless the mappings fill rows `0..<rows` exactly once.
    private static func requireCoverage(_ mappings: [VirtualMapping], rows: Int, name: String,
                                        path: String) throws(FeatureStoreError) {
        var next = 0
        for mapping in mappings.sorted(by: { $0.start < $1.start }) where mapping.rows > 0 {
            guard mapping.start == next else {
                let problem = mapping.start > next ? "rows \(next)..<\(mapping.start) have no source" : "row \(mapping.start) has two sources"
                throw .invalidLayout(path: path, reason: "virtual dataset '\(name)': \(problem)")
            }
            next += mapping.rows
        }
        guard next == rows else {
            throw .invalidLayout(path: path, reason: "virtual dataset '\(name)' maps \(next) of its \(rows) rows")
        }
    }

    /// Opens the source file at `resolved` after checking it is a readable regular HDF5 file.
    private static func open(_ resolved: String, store: String) throws(FeatureStoreError) -> HDF5Object {
        func unusable(_ reason: String) -> FeatureStoreError { .sourceUnusable(path: store, source: resolved, reason: reason) }
        switch FileKind(path: resolved) {
        case .regular: break
        case .missing: throw unusable("does not exist")
        case let kind: throw unusable("is \(kind), not a regular file")
        }
        guard access(resolved, R_OK) == 0 else { throw unusable("cannot be read (\(String(cString: strerror(errno))))") }
        guard H5Fis_hdf5(resolved) > 0 else { throw unusable("is not an HDF5 file") }
        do {
            return try HDF5Object(H5Fopen(resolved, sc_H5F_ACC_RDONLY(), sc_H5P_DEFAULT()), .file,
                                  operation: "open", path: resolved)
        } catch {
            throw unusable("cannot be opened by HDF5")
        }
    }

    /// Throws unless the source dataset of `mapping` exists in `file` with exactly the mapped rows and width.
    private static func requireRows(_ mapping: VirtualMapping, in file: HDF5Object, at sourcePath: String,
                                    width: Int?, store: String) throws(FeatureStoreError) {
        func unusable(_ reason: String) -> FeatureStoreError { .sourceUnusable(path: store, source: sourcePath, reason: reason) }
        let dataset: HDF5Object
        let shape: [Int]
        do {
            dataset = try HDF5.openDataset(mapping.dataset, in: file, path: sourcePath)
            shape = try HDF5.extent(of: dataset, path: sourcePath)
        } catch {
            throw unusable("has no readable '\(mapping.dataset)' dataset")
        }
        guard shape.count == (width == nil ? 1 : 2), width.map({ shape[1] == $0 }) ?? true else {
            throw unusable("has '\(mapping.dataset)' of shape \(shape), not \(width.map { "N × \($0)" } ?? "N")")
        }
        guard shape[0] == mapping.rows else {
            throw unusable("holds \(shape[0]) rows of '\(mapping.dataset)', not the \(mapping.rows) mapped from it")
        }
    }
}

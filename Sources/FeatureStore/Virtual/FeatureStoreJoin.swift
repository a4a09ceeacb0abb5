import CHDF5
import Foundation

/// The fill values of a virtual store: what HDF5 returns for rows whose source it cannot read.
/// Readers refuse them (`FeatureStoreError.fillValuesRead`).
enum VirtualStoreFill {
    /// Features of an unreadable row.
    static let feature = Float.nan
    /// The label of an unreadable row.
    static let label: Int64 = -1

    /// A fill value to set on a dataset.
    enum Value {
        case float(Float)
        case integer(Int64)
    }
}

/// Joins feature stores written in parts (one per shard of a dataset) into one store whose rows
/// are the parts' rows in order: as an HDF5 virtual dataset that maps each part's rows without
/// copying them, or as one real file.
///
/// The virtual store names its parts by paths relative to its own folder (so the folder can be
/// moved as a whole), fills unmapped rows with NaN features, label −1 and no path, and is read
/// by h5py, `h5dump` and ``FeatureStoreReader`` alike — the reader checks every part before it
/// trusts one.
public enum FeatureStoreJoin {
    /// How the joined store holds its rows.
    public enum Method: Sendable {
        /// An HDF5 virtual dataset over the parts, which must stay beside it.
        case virtual
        /// One real file with every row copied (the parts can then be deleted).
        case copy
    }

    /// Joins `parts`, in order, into a store at `url` (built as `url.partial`, then renamed).
    /// - Parameters:
    ///   - parts: complete stores with the same width and classes, each with `paths`.
    ///   - url: the joined store.
    ///   - attributes: the joined store's root attributes.
    ///   - method: virtual or copied.
    ///   - overwrite: replace an existing store at `url`.
    /// - Returns: the joined store's row count.
    /// - Throws: `.sourcesDisagree` when the parts differ in width, classes, type or lack paths;
    ///   errors opening a part; `.alreadyExists`, `.hdf5`, `.io` when writing.
    @discardableResult
    public static func join(_ parts: [URL], into url: URL, attributes: FeatureStoreAttributes, method: Method,
                            overwrite: Bool) throws(FeatureStoreError) -> Int {
        guard let first = parts.first else { throw .sourcesDisagree(path: url.path, reason: "there are no stores to join") }
        if !overwrite, FileManager.default.fileExists(atPath: url.path) { throw .alreadyExists(path: url.path) }
        let readers = try parts.map { (part) throws(FeatureStoreError) in try FeatureStoreReader(url: part) }
        let reference = readers[0]
        for reader in readers {
            let problem: String? = reader.dimension != reference.dimension
                ? "it has \(reader.dimension) features per row, \(first.path) has \(reference.dimension)"
                : reader.labelNames != reference.labelNames ? "its classes differ from those of \(first.path)"
                : !reader.hasPaths ? "it records no paths" : reader.storesDoubles ? "it stores 64-bit features"
                : !reader.virtualSources.isEmpty ? "it is itself a virtual store" : nil
            if let problem { throw .sourcesDisagree(path: url.path, reason: "\(reader.url.path): \(problem)") }
        }
        switch method {
        case .copy: return try copy(readers, into: url, attributes: attributes, overwrite: overwrite)
        case .virtual: return try writeVirtual(readers, into: url, attributes: attributes, overwrite: overwrite)
        }
    }

    /// Copies every part's rows into one real store with the writer.
    private static func copy(_ readers: [FeatureStoreReader], into url: URL, attributes: FeatureStoreAttributes,
                             overwrite: Bool) throws(FeatureStoreError) -> Int {
        let block = 4096
        let writer = try FeatureStoreWriter(creating: url, dimension: readers[0].dimension,
                                            labelNames: readers[0].labelNames, attributes: attributes,
                                            bufferRows: block, overwrite: overwrite)
        for reader in readers {
            for start in stride(from: 0, to: reader.rowCount, by: block) {
                let range = start..<min(start + block, reader.rowCount)
                let batch = try reader.readRows(range)
                try writer.append(features: batch.features, labels: batch.labels, paths: try reader.paths(range))
            }
        }
        let rows = writer.rowCount
        try writer.finish()
        return rows
    }

    /// Writes the virtual store: `label_names` copied, `features`, `labels` and `paths` mapped.
    private static func writeVirtual(_ readers: [FeatureStoreReader], into url: URL,
                                     attributes: FeatureStoreAttributes, overwrite: Bool) throws(FeatureStoreError) -> Int {
        HDF5.silenceErrors()
        let partial = FeatureStoreWriter.partialURL(for: url).path
        let folder = url.deletingLastPathComponent().standardizedFileURL.path + "/"
        let parts = readers.map { reader -> (name: String, rows: Int) in
            let path = reader.url.standardizedFileURL.path
            return (path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path, reader.rowCount)
        }
        let rows = parts.reduce(0) { $0 + $1.rows }
        let dimension = readers[0].dimension
        do throws(FeatureStoreError) {
            let file = try HDF5Object(H5Fcreate(partial, sc_H5F_ACC_TRUNC(), sc_H5P_DEFAULT(), sc_H5P_DEFAULT()),
                                      .file, operation: "create the file", path: partial)
            let stringType = try HDF5.variableStringType(path: partial)
            let names = try FeatureStoreWriter.createExtendible(StoreFile.Name.labelNames, in: file, type: stringType.id,
                                                                columns: nil, chunkRows: max(1, readers[0].labelNames.count),
                                                                path: partial)
            try HDF5.writeStrings(readers[0].labelNames, to: names, start: 0, path: partial)
            try mapDataset(StoreFile.Name.features, in: file, type: sc_H5T_IEEE_F32LE(), rows: rows, width: dimension,
                           fill: .float(VirtualStoreFill.feature), parts: parts, path: partial)
            try mapDataset(StoreFile.Name.labels, in: file, type: sc_H5T_STD_I64LE(), rows: rows, width: nil,
                           fill: .integer(VirtualStoreFill.label), parts: parts, path: partial)
            try mapDataset(StoreFile.Name.paths, in: file, type: stringType.id, rows: rows, width: nil,
                           fill: nil, parts: parts, path: partial)
            for (name, value) in attributes.values.sorted(by: { $0.key < $1.key }) {
                try HDF5.writeAttribute(name, value, to: file, path: partial)
            }
            names.close()
            guard file.close() else { throw FeatureStoreError.hdf5(operation: "close the file", path: partial) }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try moveIntoPlace(partial, url.path, overwrite: overwrite)
        return rows
    }

    /// Creates virtual dataset `name` of `rows` (× `width`) whose consecutive blocks are the
    /// parts' datasets of the same name.
    private static func mapDataset(_ name: String, in file: HDF5Object, type: hid_t, rows: Int, width: Int?,
                                   fill: VirtualStoreFill.Value?,
                                   parts: [(name: String, rows: Int)], path: String) throws(FeatureStoreError) {
        let shape = [hsize_t(rows)] + (width.map { [hsize_t($0)] } ?? [])
        let space = try HDF5Object(H5Screate_simple(Int32(shape.count), shape, nil), .dataspace,
                                   operation: "make a dataspace", path: path)
        let properties = try HDF5Object(H5Pcreate(sc_H5P_DATASET_CREATE()), .propertyList,
                                        operation: "make dataset properties", path: path)
        let status: herr_t
        switch fill {
        case .float(let value)?: status = withUnsafeBytes(of: value) { H5Pset_fill_value(properties.id, sc_H5T_NATIVE_FLOAT(), $0.baseAddress) }
        case .integer(let value)?: status = withUnsafeBytes(of: value) { H5Pset_fill_value(properties.id, sc_H5T_NATIVE_INT64(), $0.baseAddress) }
        case nil: status = 0
        }
        try HDF5.check(status, "set the fill value of '\(name)'", path: path)
        var start = 0
        for part in parts where part.rows > 0 {
            let target = try HDF5Object(H5Screate_simple(Int32(shape.count), shape, nil), .dataspace,
                                        operation: "make a dataspace", path: path)
            let block = [hsize_t(part.rows)] + (width.map { [hsize_t($0)] } ?? [])
            let offset = [hsize_t(start)] + (width == nil ? [] : [0])
            try HDF5.check(H5Sselect_hyperslab(target.id, H5S_SELECT_SET, offset, nil, block, nil),
                           "select rows of '\(name)'", path: path)
            let source = try HDF5Object(H5Screate_simple(Int32(block.count), block, nil), .dataspace,
                                        operation: "make a dataspace", path: path)
            try HDF5.check(H5Pset_virtual(properties.id, target.id, part.name, name, source.id),
                           "map \(part.name) into '\(name)'", path: path)
            start += part.rows
        }
        let dataset = try HDF5Object(H5Dcreate2(file.id, name, type, space.id, sc_H5P_DEFAULT(), properties.id,
                                                sc_H5P_DEFAULT()), .dataset, operation: "create dataset '\(name)'", path: path)
        dataset.close()
    }
}

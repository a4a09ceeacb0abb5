import CHDF5

extension FeatureStoreWriter {
    /// Stores (or replaces) a one-dimensional dataset of UTF-8 strings beside the store's own
    /// datasets — e.g. one content digest per row, or per shard of rows — checksummed like them.
    /// h5py reads it as `db[name][:]`. Write it before `finish()`; a resumed writer starts
    /// without it, so write it again before finishing.
    /// - Parameters:
    ///   - values: the strings.
    ///   - name: the dataset's name; not one of `features`, `labels`, `label_names`, `paths`.
    /// - Throws: `.invalidArgument` for a reserved or empty name or after `finish()`; `.hdf5`
    ///   when the dataset cannot be written.
    public func writeStrings(_ values: [String], dataset name: String) throws(FeatureStoreError) {
        let reserved = [StoreFile.Name.features, StoreFile.Name.labels, StoreFile.Name.labelNames, StoreFile.Name.paths]
        guard !name.isEmpty, !name.contains("/"), !reserved.contains(name) else {
            throw .invalidArgument("'\(name)' cannot name an extra dataset (reserved, empty or containing '/')")
        }
        guard let file else { throw .invalidArgument("\(url.path) is already finished") }
        let path = Self.partialURL(for: url).path
        if HDF5.exists(name, in: file) {
            try HDF5.check(H5Ldelete(file.id, name, sc_H5P_DEFAULT()), "replace dataset '\(name)'", path: path)
        }
        let type = try HDF5.variableStringType(path: path)
        let dataset = try Self.createExtendible(name, in: file, type: type.id, columns: nil,
                                                chunkRows: max(1, min(values.count, 4096)), path: path)
        try HDF5.writeStrings(values, to: dataset, start: 0, path: path)
    }
}

extension FeatureStoreReader {
    /// Whether the store has a dataset called `name` (e.g. one written by
    /// `FeatureStoreWriter.writeStrings(_:dataset:)`).
    /// - Parameter name: the dataset's name.
    /// - Returns: `true` when it exists.
    public func hasDataset(_ name: String) -> Bool { HDF5.exists(name, in: storeFile.file) }

    /// Reads a one-dimensional string dataset, checked like the store's own: really stored in
    /// the file, within the memory budget, checksums verified.
    /// - Parameter name: the dataset's name.
    /// - Returns: its strings.
    /// - Throws: `.missingDataset`, `.invalidLayout` (not one-dimensional strings),
    ///   `.declaredBeyondFile`, `.overBudget`, `.checksumMismatch`.
    public func strings(dataset name: String) throws(FeatureStoreError) -> [String] {
        let store = storeFile
        let dataset = try HDF5.openDataset(name, in: store.file, path: url.path)
        let shape = try HDF5.extent(of: dataset, path: url.path)
        guard shape.count == 1 else {
            throw .invalidLayout(path: url.path, reason: "'\(name)' has \(shape.count) dimensions, expected 1")
        }
        try StoreFile.requireStored(dataset, named: name, shape: shape, path: url.path, fileSize: store.fileSize)
        try StoreFile.requireBudget(shape[0], bytesEach: 64, what: "\(shape[0]) strings of '\(name)'", path: url.path,
                                    budget: memoryBudget)
        return try HDF5.readStrings(dataset, start: 0, count: shape[0], path: url.path)
    }
}

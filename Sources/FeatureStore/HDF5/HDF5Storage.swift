import CHDF5

extension HDF5 {
    /// How a dataset keeps its data in the file — what a reader needs to tell a dataset whose
    /// declared shape is really stored from a few bytes that only claim a huge shape.
    struct Storage {
        /// The layout: contiguous, chunked, compact or virtual.
        let layout: H5D_layout_t
        /// Whether a filter may shrink the data (anything but Fletcher-32 and shuffle).
        let compressed: Bool
        /// Whether chunks carry a Fletcher-32 checksum.
        let checksummed: Bool
        /// The chunk shape (chunked layout only).
        let chunk: [Int]
        /// The bytes HDF5 has allocated for the data (`H5Dget_storage_size`).
        let allocatedBytes: Int
        /// The number of allocated chunks (chunked layout only).
        let allocatedChunks: Int
    }

    /// Reads a dataset's layout, filters and allocated storage.
    static func storage(of dataset: HDF5Object, path: String) throws(FeatureStoreError) -> Storage {
        let properties = try HDF5Object(H5Dget_create_plist(dataset.id), .propertyList,
                                        operation: "read a dataset's storage properties", path: path)
        let layout = H5Pget_layout(properties.id)
        var compressed = false, checksummed = false
        let filters = max(0, Int(H5Pget_nfilters(properties.id)))
        for index in 0..<filters {
            var flags: UInt32 = 0, count = 0, configuration: UInt32 = 0
            var name = [CChar](repeating: 0, count: 64)
            let filter = H5Pget_filter2(properties.id, UInt32(index), &flags, &count, nil, name.count, &name, &configuration)
            switch filter {
            case H5Z_filter_t(H5Z_FILTER_FLETCHER32): checksummed = true
            case H5Z_filter_t(H5Z_FILTER_SHUFFLE): break
            default: compressed = true
            }
        }
        var chunk: [Int] = []
        var chunks: hsize_t = 0
        if layout == H5D_CHUNKED {
            var dims = [hsize_t](repeating: 0, count: 32)
            let rank = H5Pget_chunk(properties.id, Int32(dims.count), &dims)
            guard rank > 0 else { throw .hdf5(operation: "read a dataset's chunk shape", path: path) }
            chunk = dims.prefix(Int(rank)).map { Int(clamping: $0) }
            // HDF5 1.10 refuses H5S_ALL here: pass the dataset's own (whole) dataspace.
            let space = try HDF5Object(H5Dget_space(dataset.id), .dataspace, operation: "read a dataspace", path: path)
            try check(H5Dget_num_chunks(dataset.id, space.id, &chunks), "count a dataset's chunks", path: path)
        }
        return Storage(layout: layout, compressed: compressed, checksummed: checksummed, chunk: chunk,
                       allocatedBytes: Int(clamping: H5Dget_storage_size(dataset.id)),
                       allocatedChunks: Int(clamping: chunks))
    }

    /// Throws when a read of dataset `name` failed: `.checksumMismatch` when a Fletcher-32
    /// checksum did not match (the data on disk changed after it was written), else `.hdf5`.
    static func checkRead(_ status: herr_t, _ name: @autoclosure () -> String, path: String) throws(FeatureStoreError) {
        guard status < 0 else { return }
        if sc_H5_error_stack_mentions("checksum") != 0 { throw .checksumMismatch(path: path, dataset: name()) }
        throw .hdf5(operation: "read '\(name())'", path: path)
    }
}

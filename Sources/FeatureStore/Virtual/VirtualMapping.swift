import CHDF5

/// One mapping of an HDF5 virtual dataset: a block of its rows and where they come from.
struct VirtualMapping {
    /// The source file as the virtual dataset names it (relative to the virtual file's folder).
    let file: String
    /// The dataset inside the source file.
    let dataset: String
    /// The first row of the virtual dataset this mapping fills.
    let start: Int
    /// The rows it fills: all the rows of its source dataset.
    let rows: Int

    /// The mappings of a virtual dataset, read from its creation properties
    /// (`H5Pget_virtual_count`, `H5Pget_virtual_filename`, `H5Pget_virtual_dsetname`, and the
    /// bounds of each mapping's virtual and source selections).
    /// - Parameters:
    ///   - dataset: an open virtual dataset.
    ///   - name: its name, for messages.
    ///   - width: the columns every mapping must fill in full (nil for one-dimensional data).
    ///   - path: the virtual file, for messages.
    /// - Returns: the mappings, in the order stored.
    /// - Throws: `.invalidLayout` for a mapping that is not one whole block of rows filled from a
    ///   whole source dataset (spotcheck writes no other kind); `.hdf5` when the properties cannot be read.
    static func mappings(of dataset: HDF5Object, named name: String, width: Int?,
                         path: String) throws(FeatureStoreError) -> [VirtualMapping] {
        let properties = try HDF5Object(H5Dget_create_plist(dataset.id), .propertyList,
                                        operation: "read the mappings of '\(name)'", path: path)
        var count = 0
        try HDF5.check(H5Pget_virtual_count(properties.id, &count), "count the mappings of '\(name)'", path: path)
        var mappings = [VirtualMapping]()
        for index in 0..<count {
            let file = text { H5Pget_virtual_filename(properties.id, index, $0, $1) }
            let source = text { H5Pget_virtual_dsetname(properties.id, index, $0, $1) }
            guard let file, let source else { throw .hdf5(operation: "read mapping \(index) of '\(name)'", path: path) }
            let target = try HDF5Object(H5Pget_virtual_vspace(properties.id, index), .dataspace,
                                        operation: "read mapping \(index) of '\(name)'", path: path)
            let rows = try Self.rowBlock(target, width: width, what: "mapping \(index) of '\(name)'", path: path)
            let origin = try HDF5Object(H5Pget_virtual_srcspace(properties.id, index), .dataspace,
                                        operation: "read mapping \(index) of '\(name)'", path: path)
            // The whole source (the `all` selection spotcheck writes) is known only by its selection type:
            // the source's extent is read from the source file itself.
            guard H5Sget_select_type(origin.id) == H5S_SEL_ALL else {
                throw .invalidLayout(path: path, reason: "mapping \(index) of '\(name)' reads part of its source; spotcheck maps whole sources only")
            }
            mappings.append(VirtualMapping(file: file, dataset: source, start: rows.start, rows: rows.count))
        }
        return mappings
    }

    /// The rows a selection covers, when it is one whole block of rows (all `width` columns).
    private static func rowBlock(_ space: HDF5Object, width: Int?, what: String,
                                 path: String) throws(FeatureStoreError) -> (start: Int, count: Int) {
        let rank = Int(H5Sget_simple_extent_ndims(space.id))
        guard rank == (width == nil ? 1 : 2) else {
            throw .invalidLayout(path: path, reason: "\(what) has \(rank) dimensions")
        }
        let points = H5Sget_select_npoints(space.id)
        guard points > 0 else { return (0, 0) }
        var low = [hsize_t](repeating: 0, count: rank), high = [hsize_t](repeating: 0, count: rank)
        try HDF5.check(H5Sget_select_bounds(space.id, &low, &high), "read the bounds of \(what)", path: path)
        let rows = Int(high[0] - low[0]) + 1
        let columns = rank == 2 ? Int(high[1] - low[1]) + 1 : 1
        guard rank == 1 || (low[1] == 0 && columns == width), Int(points) == rows * columns else {
            throw .invalidLayout(path: path, reason: "\(what) is not a whole block of rows")
        }
        return (Int(low[0]), rows)
    }

    /// A string an HDF5 call writes into a buffer it sizes itself (first call: length only).
    private static func text(_ call: (UnsafeMutablePointer<CChar>?, Int) -> Int) -> String? {
        let length = call(nil, 0)
        guard length >= 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard call(&buffer, buffer.count) >= 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import CHDF5
import FileSafety
import Foundation

/// The datasets of a feature store file, opened and checked for shape (not yet for agreeing
/// row counts: a reader insists on that, a resuming writer repairs it).
///
/// Layout (the cookbook's `FeatureExtractor` names, plus `paths`): `features` N×D float,
/// `labels` N integers, `label_names` C strings (label i ↔ `label_names[i]`), optional `paths`
/// N strings, attributes on the root group.
struct StoreFile {
    /// Dataset names.
    enum Name {
        static let features = "features"
        static let labels = "labels"
        static let labelNames = "label_names"
        static let paths = "paths"
    }

    let path: String
    let file: HDF5Object
    let features: HDF5Object
    let labels: HDF5Object
    let paths: HDF5Object?
    /// Rows in `features`.
    let featureRows: Int
    /// Columns in `features`.
    let dimension: Int
    /// Elements in `labels`.
    let labelRows: Int
    /// Elements in `paths`, when present.
    let pathRows: Int?
    /// Whether `features` is stored as 64-bit floats (the cookbook's h5py files) rather than 32-bit.
    let featuresAreDouble: Bool
    let labelNames: [String]
    /// The file's size in bytes when opened.
    let fileSize: Int
    /// The most bytes one read may allocate.
    let memoryBudget: Int
    /// The source files of a virtual store, checked when it was opened (empty for a real store).
    let virtualSources: [String]
    /// Whether the datasets are virtual, so that fill values mean a source could not be read.
    var isVirtual: Bool { !virtualSources.isEmpty }

    /// Opens and checks the file at `path`: shapes, types, and that `label_names` is really
    /// stored and fits the memory budget before it is read.
    /// - Throws: `.fileNotFound`, `.notARegularFile`, `.notHDF5`, `.missingDataset`,
    ///   `.invalidLayout`, `.declaredBeyondFile`, `.overBudget`, `.checksumMismatch`, `.hdf5`.
    init(path: String, writable: Bool, memoryBudget: Int) throws(FeatureStoreError) {
        self.path = path
        (file, fileSize) = try HDF5.open(path, writable: writable)
        self.memoryBudget = memoryBudget
        features = try HDF5.openDataset(Name.features, in: file, path: path)
        labels = try HDF5.openDataset(Name.labels, in: file, path: path)
        let namesDataset = try HDF5.openDataset(Name.labelNames, in: file, path: path)
        paths = HDF5.exists(Name.paths, in: file) ? try HDF5.openDataset(Name.paths, in: file, path: path) : nil

        let featureShape = try HDF5.extent(of: features, path: path)
        guard featureShape.count == 2 else {
            throw .invalidLayout(path: path, reason: "'features' has \(featureShape.count) dimensions, expected 2 (rows × features)")
        }
        guard try HDF5.typeClass(of: features, path: path) == H5T_FLOAT else {
            throw .invalidLayout(path: path, reason: "'features' does not hold floating-point numbers")
        }
        let featureType = try HDF5Object(H5Dget_type(features.id), .datatype, operation: "read a dataset type", path: path)
        featuresAreDouble = H5Tget_size(featureType.id) > 4
        featureRows = featureShape[0]
        dimension = featureShape[1]
        try Self.requireAddressable(Name.features, featureShape, elementBytes: featuresAreDouble ? 8 : 4, path: path)
        labelRows = try Self.length(of: labels, named: Name.labels, path: path)
        guard try HDF5.typeClass(of: labels, path: path) == H5T_INTEGER else {
            throw .invalidLayout(path: path, reason: "'labels' does not hold integers")
        }
        pathRows = try paths.map { (dataset) throws(FeatureStoreError) in
            try Self.length(of: dataset, named: Name.paths, path: path)
        }
        var datasets = [(Name.features, features, featureRows, Optional(dimension)), (Name.labels, labels, labelRows, nil)]
        if let paths, let pathRows { datasets.append((Name.paths, paths, pathRows, nil)) }
        virtualSources = try VirtualSourceAudit.audit(datasets, path: path)
        let nameCount = try Self.length(of: namesDataset, named: Name.labelNames, path: path)
        try Self.requireStored(namesDataset, named: Name.labelNames, shape: [nameCount], path: path, fileSize: fileSize)
        try Self.requireBudget(nameCount, bytesEach: 64, what: "\(nameCount) class names", path: path, budget: memoryBudget)
        labelNames = try HDF5.readStrings(namesDataset, start: 0, count: nameCount, path: path)
    }

    /// Checks that the first `rows` rows of `features`, `labels` and `paths` are stored in the
    /// file (see ``requireStored(_:named:shape:path:fileSize:)``).
    /// - Throws: `.declaredBeyondFile` for data that is not there.
    func requireRowsStored(_ rows: Int) throws(FeatureStoreError) {
        try Self.requireStored(features, named: Name.features, shape: [rows, dimension], path: path, fileSize: fileSize)
        try Self.requireStored(labels, named: Name.labels, shape: [rows], path: path, fileSize: fileSize)
        if let paths {
            try Self.requireStored(paths, named: Name.paths, shape: [rows], path: path, fileSize: fileSize)
        }
    }

    /// Throws unless `count` items of `bytesEach` bytes fit the memory budget.
    /// - Throws: `.overBudget` naming `what`.
    static func requireBudget(_ count: Int, bytesEach: Int, what: @autoclosure () -> String, path: String,
                              budget: Int) throws(FeatureStoreError) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bytesEach)
        guard overflow || bytes > budget else { return }
        throw .overBudget(path: path, what: what(), bytes: overflow ? Int.max : bytes, budget: budget)
    }

    /// Throws unless a dataset of `shape` with elements of `elementBytes` bytes has a byte size
    /// a 64-bit machine can count (so later arithmetic on it cannot overflow).
    static func requireAddressable(_ name: String, _ shape: [Int], elementBytes: Int,
                                   path: String) throws(FeatureStoreError) {
        var bytes = elementBytes
        for extent in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw .declaredBeyondFile(path: path, dataset: name, shape: shape,
                                          reason: "that is more bytes than any file can hold")
            }
            bytes = product
        }
    }

    /// Checks that the data a dataset declares for `shape` is really in the file: every chunk
    /// it covers allocated (chunked layout), its allocated storage as large as the shape
    /// (contiguous and compact), and — without compression — no more bytes than the file has.
    /// Virtual datasets keep their data in other files and are not checked here.
    /// - Throws: `.declaredBeyondFile` saying what is missing.
    static func requireStored(_ dataset: HDF5Object, named name: String, shape: [Int], path: String,
                              fileSize: Int) throws(FeatureStoreError) {
        let type = try HDF5Object(H5Dget_type(dataset.id), .datatype, operation: "read a dataset type", path: path)
        let elementBytes = max(1, H5Tget_size(type.id))
        try requireAddressable(name, shape, elementBytes: elementBytes, path: path)
        let bytes = shape.reduce(elementBytes, *)
        guard bytes > 0 else { return }
        let storage = try HDF5.storage(of: dataset, path: path)
        func missing(_ reason: String) -> FeatureStoreError {
            .declaredBeyondFile(path: path, dataset: name, shape: shape, reason: reason)
        }
        switch storage.layout {
        case H5D_VIRTUAL:
            return
        case H5D_CHUNKED:
            var required = 1
            for (extent, side) in zip(shape, storage.chunk) where side > 0 {
                let (product, overflow) = required.multipliedReportingOverflow(by: (extent + side - 1) / side)
                guard !overflow else { throw missing("that needs more chunks than any file can hold") }
                required = product
            }
            guard storage.allocatedChunks >= required else {
                throw missing("only \(storage.allocatedChunks) of the \(required) chunks holding them are stored")
            }
        default:
            guard storage.allocatedBytes >= bytes else {
                throw missing("only \(byteText(storage.allocatedBytes)) of their \(byteText(bytes)) are stored")
            }
        }
        if !storage.compressed, storage.layout != H5D_COMPACT, bytes > fileSize {
            throw missing("they need \(byteText(bytes)) and the file has \(byteText(fileSize))")
        }
    }

    /// The length of a one-dimensional dataset.
    private static func length(of dataset: HDF5Object, named name: String, path: String) throws(FeatureStoreError) -> Int {
        let shape = try HDF5.extent(of: dataset, path: path)
        guard shape.count == 1 else {
            throw .invalidLayout(path: path, reason: "'\(name)' has \(shape.count) dimensions, expected 1")
        }
        return shape[0]
    }

    /// The root group's attributes.
    func attributes() throws(FeatureStoreError) -> FeatureStoreAttributes {
        try HDF5.readAttributes(of: file, path: path)
    }

    /// Reads `paths[start ..< start + count]`; in a virtual store an empty path is a fill value.
    func readPaths(start: Int, count: Int) throws(FeatureStoreError) -> [String] {
        guard let paths else { throw .missingDataset(path: path, name: Name.paths) }
        let strings = try HDF5.readStrings(paths, start: start, count: count, path: path)
        if isVirtual {
            let filled = strings.reduce(0) { $0 + ($1.isEmpty ? 1 : 0) }
            if filled > 0 { throw .fillValuesRead(path: path, dataset: Name.paths, rows: filled) }
        }
        return strings
    }

    /// Reads `labels[start ..< start + count]`.
    func readLabels(start: Int, count: Int) throws(FeatureStoreError) -> [Int] {
        guard count > 0 else { return [] }
        var values = [Int64](repeating: 0, count: count)
        let selection = try HDF5.rowSelection(of: labels, extent: [labelRows], start: start, count: count, path: path)
        try HDF5.checkRead(H5Dread(labels.id, sc_H5T_NATIVE_INT64(), selection.memory.id, selection.file.id,
                                   sc_H5P_DEFAULT(), &values), Name.labels, path: path)
        if isVirtual {
            let filled = values.reduce(0) { $0 + ($1 == VirtualStoreFill.label ? 1 : 0) }
            if filled > 0 { throw .fillValuesRead(path: path, dataset: Name.labels, rows: filled) }
        }
        return values.map { Int($0) }
    }

    /// Reads rows `start ..< start + count` of `features` as 32-bit floats into `buffer`
    /// (HDF5 converts 64-bit files on the fly).
    func readFeatures(start: Int, count: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws(FeatureStoreError) {
        guard count > 0 else { return }
        precondition(buffer.count >= count * dimension, "buffer too small for \(count) rows")
        let selection = try HDF5.rowSelection(of: features, extent: [featureRows, dimension],
                                              start: start, count: count, path: path)
        try HDF5.checkRead(H5Dread(features.id, sc_H5T_NATIVE_FLOAT(), selection.memory.id, selection.file.id,
                                   sc_H5P_DEFAULT(), buffer.baseAddress), Name.features, path: path)
        if isVirtual {
            let filled = (0..<count).reduce(0) { total, row in
                total + (buffer[row * dimension ..< (row + 1) * dimension].contains { $0.isNaN } ? 1 : 0)
            }
            if filled > 0 { throw .fillValuesRead(path: path, dataset: Name.features, rows: filled) }
        }
    }
}

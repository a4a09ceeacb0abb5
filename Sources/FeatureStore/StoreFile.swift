import CHDF5
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

    /// Opens and checks the file at `path`.
    /// - Throws: `.fileNotFound`, `.notHDF5`, `.missingDataset`, `.invalidLayout`, `.hdf5`.
    init(path: String, writable: Bool) throws(FeatureStoreError) {
        HDF5.silenceErrors()
        guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound(path: path) }
        guard H5Fis_hdf5(path) > 0 else { throw .notHDF5(path: path) }
        self.path = path
        file = try HDF5Object(H5Fopen(path, writable ? sc_H5F_ACC_RDWR() : sc_H5F_ACC_RDONLY(), sc_H5P_DEFAULT()),
                              .file, operation: "open the file", path: path)
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
        labelRows = try Self.length(of: labels, named: Name.labels, path: path)
        guard try HDF5.typeClass(of: labels, path: path) == H5T_INTEGER else {
            throw .invalidLayout(path: path, reason: "'labels' does not hold integers")
        }
        pathRows = try paths.map { (dataset) throws(FeatureStoreError) in
            try Self.length(of: dataset, named: Name.paths, path: path)
        }
        let nameCount = try Self.length(of: namesDataset, named: Name.labelNames, path: path)
        labelNames = try HDF5.readStrings(namesDataset, start: 0, count: nameCount, path: path)
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

    /// Reads `labels[start ..< start + count]`.
    func readLabels(start: Int, count: Int) throws(FeatureStoreError) -> [Int] {
        guard count > 0 else { return [] }
        var values = [Int64](repeating: 0, count: count)
        let selection = try HDF5.rowSelection(of: labels, extent: [labelRows], start: start, count: count, path: path)
        try HDF5.check(H5Dread(labels.id, sc_H5T_NATIVE_INT64(), selection.memory.id, selection.file.id,
                               sc_H5P_DEFAULT(), &values), "read labels", path: path)
        return values.map { Int($0) }
    }

    /// Reads rows `start ..< start + count` of `features` as 32-bit floats into `buffer`
    /// (HDF5 converts 64-bit files on the fly).
    func readFeatures(start: Int, count: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws(FeatureStoreError) {
        guard count > 0 else { return }
        precondition(buffer.count >= count * dimension, "buffer too small for \(count) rows")
        let selection = try HDF5.rowSelection(of: features, extent: [featureRows, dimension],
                                              start: start, count: count, path: path)
        try HDF5.check(H5Dread(features.id, sc_H5T_NATIVE_FLOAT(), selection.memory.id, selection.file.id,
                               sc_H5P_DEFAULT(), buffer.baseAddress), "read features", path: path)
    }
}

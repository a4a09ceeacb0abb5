import CHDF5
import FileSafety
import Foundation

/// Owner of one HDF5 identifier: closes it exactly once, explicitly or when released.
///
/// HDF5 is serialised behind one lock in Debian's thread-safe build; objects of this module are
/// used from one thread at a time (they are not `Sendable`).
final class HDF5Object {
    /// What the identifier names, which decides the close call.
    enum Kind { case file, dataset, dataspace, datatype, attribute, propertyList, group, object }

    /// The HDF5 identifier.
    let id: hid_t
    private let kind: Kind
    private var isOpen = true

    /// Takes ownership of `id`.
    /// - Parameters:
    ///   - id: an identifier returned by HDF5 (negative means the call failed).
    ///   - kind: what it names.
    ///   - operation: the failed operation, for the error message.
    ///   - path: the file concerned, for the error message.
    /// - Throws: `FeatureStoreError.hdf5` when `id` is negative.
    init(_ id: hid_t, _ kind: Kind, operation: @autoclosure () -> String, path: String) throws(FeatureStoreError) {
        guard id >= 0 else { throw .hdf5(operation: operation(), path: path) }
        self.id = id
        self.kind = kind
    }

    /// Closes the identifier now (later calls do nothing).
    /// - Returns: `false` when HDF5 reported a failure while closing (for files: while flushing).
    @discardableResult
    func close() -> Bool {
        guard isOpen else { return true }
        isOpen = false
        let status: herr_t
        switch kind {
        case .file: status = H5Fclose(id)
        case .dataset: status = H5Dclose(id)
        case .dataspace: status = H5Sclose(id)
        case .datatype: status = H5Tclose(id)
        case .attribute: status = H5Aclose(id)
        case .propertyList: status = H5Pclose(id)
        case .group: status = H5Gclose(id)
        case .object: status = H5Oclose(id)
        }
        return status >= 0
    }

    deinit { close() }
}

/// Small helpers over the HDF5 C API shared by the reader and the writer.
enum HDF5 {
    /// Turns off HDF5's automatic error printing for the calling thread (the thread-safe
    /// library keeps that setting per thread); errors are reported as `FeatureStoreError`.
    static func silenceErrors() { sc_H5_silence_errors() }

    /// Opens an existing file after checking that it is a regular file in HDF5 format (errors
    /// silenced on the calling thread).
    /// - Parameters:
    ///   - path: the file.
    ///   - writable: open it for writing too.
    /// - Returns: the open file and its size in bytes when opened.
    /// - Throws: `.fileNotFound`, `.notARegularFile`, `.notHDF5`, `.hdf5`.
    static func open(_ path: String, writable: Bool) throws(FeatureStoreError) -> (file: HDF5Object, size: Int) {
        silenceErrors()
        switch FileKind(path: path) {
        case .missing: throw .fileNotFound(path: path)
        case .regular: break
        case let kind: throw .notARegularFile(path: path, kind: kind.description)
        }
        guard H5Fis_hdf5(path) > 0 else { throw .notHDF5(path: path) }
        var status = stat()
        let size = stat(path, &status) == 0 ? Int(status.st_size) : 0
        let file = try HDF5Object(H5Fopen(path, writable ? sc_H5F_ACC_RDWR() : sc_H5F_ACC_RDONLY(), sc_H5P_DEFAULT()),
                                  .file, operation: "open the file", path: path)
        return (file, size)
    }

    /// Throws `FeatureStoreError.hdf5` when `status` is negative.
    static func check(_ status: herr_t, _ operation: @autoclosure () -> String,
                      path: String) throws(FeatureStoreError) {
        if status < 0 { throw .hdf5(operation: operation(), path: path) }
    }

    /// Whether `name` exists directly in the file's root group.
    static func exists(_ name: String, in file: HDF5Object) -> Bool {
        H5Lexists(file.id, name, sc_H5P_DEFAULT()) > 0
    }

    /// Opens dataset `name`, or throws `.missingDataset`.
    static func openDataset(_ name: String, in file: HDF5Object, path: String) throws(FeatureStoreError) -> HDF5Object {
        guard exists(name, in: file) else { throw .missingDataset(path: path, name: name) }
        return try HDF5Object(H5Dopen2(file.id, name, sc_H5P_DEFAULT()), .dataset,
                              operation: "open dataset '\(name)'", path: path)
    }

    /// The current extent of a dataset, one entry per dimension.
    static func extent(of dataset: HDF5Object, path: String) throws(FeatureStoreError) -> [Int] {
        let space = try HDF5Object(H5Dget_space(dataset.id), .dataspace, operation: "read a dataspace", path: path)
        let rank = Int(H5Sget_simple_extent_ndims(space.id))
        guard rank >= 0 else { throw .hdf5(operation: "read a dataset's rank", path: path) }
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        try check(H5Sget_simple_extent_dims(space.id, &dims, nil), "read a dataset's shape", path: path)
        return dims.prefix(rank).map { Int($0) }
    }

    /// The element type class of a dataset's stored type.
    static func typeClass(of dataset: HDF5Object, path: String) throws(FeatureStoreError) -> H5T_class_t {
        let type = try HDF5Object(H5Dget_type(dataset.id), .datatype, operation: "read a dataset type", path: path)
        return H5Tget_class(type.id)
    }

    /// A variable-length string type in `characterSet` (UTF-8 unless told otherwise).
    static func variableStringType(characterSet: H5T_cset_t = H5T_CSET_UTF8,
                                   path: String) throws(FeatureStoreError) -> HDF5Object {
        let type = try HDF5Object(H5Tcopy(sc_H5T_C_S1()), .datatype, operation: "make a string type", path: path)
        try check(H5Tset_size(type.id, sc_H5T_VARIABLE()), "make a string type", path: path)
        try check(H5Tset_cset(type.id, characterSet), "make a string type", path: path)
        return type
    }

    /// Selects rows `start ..< start + count` (all columns) of a dataset of the given extent and
    /// returns the file space with that selection and a matching memory space.
    static func rowSelection(of dataset: HDF5Object, extent: [Int], start: Int, count: Int,
                             path: String) throws(FeatureStoreError) -> (file: HDF5Object, memory: HDF5Object) {
        let fileSpace = try HDF5Object(H5Dget_space(dataset.id), .dataspace, operation: "read a dataspace", path: path)
        var offset = [hsize_t](repeating: 0, count: extent.count)
        var size = extent.map { hsize_t($0) }
        offset[0] = hsize_t(start)
        size[0] = hsize_t(count)
        try check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, offset, nil, size, nil),
                  "select rows \(start)..<\(start + count)", path: path)
        let memory = try HDF5Object(H5Screate_simple(Int32(size.count), size, nil), .dataspace,
                                    operation: "make a dataspace", path: path)
        return (fileSpace, memory)
    }
}

import CHDF5
import Foundation

/// A read-only HDF5 file seen as a tree of groups, string attributes and floating-point arrays —
/// what a weights file (Keras `.h5`) needs — for files from anywhere: paths are resolved one hard
/// link at a time (soft and external links are refused, so nothing outside the file is opened),
/// and every array's rank, element type, declared size and stored bytes are checked, and counted
/// against a budget, before it is read.
///
/// Paths are relative to the root group, components separated by `/` (`layers/conv2d/vars/0`).
/// Not thread-safe: use one instance from one thread at a time.
package final class HDF5TreeReader {
    /// What a path names.
    package enum Kind: Sendable, Equatable {
        case group
        case dataset
    }

    /// The file's path.
    package let path: String
    /// The most float32 values all reads together may return.
    package let elementBudget: Int
    /// Values returned so far.
    package private(set) var elementsRead = 0
    private let file: HDF5Object
    private let fileSize: Int

    /// Opens an HDF5 file for reading.
    /// - Parameters:
    ///   - path: the file.
    ///   - elementBudget: the most float32 values all ``floats(_:)`` calls together may return.
    /// - Throws: `FeatureStoreError.fileNotFound`, `.notARegularFile`, `.notHDF5`, `.hdf5`.
    package init(path: String, elementBudget: Int) throws(FeatureStoreError) {
        self.path = path
        self.elementBudget = elementBudget
        (file, fileSize) = try HDF5.open(path, writable: false)
    }

    /// What `name` is: a group, a dataset, or nil when it is absent, reached through a soft or
    /// external link, or something else (a named datatype). The root group is `""`.
    /// - Parameter name: a path from the root.
    /// - Returns: its kind.
    package func kind(_ name: String) -> Kind? {
        guard let components = Self.components(name), followsHardLinks(components) else { return nil }
        if components.isEmpty { return .group }
        guard let object = try? HDF5Object(H5Oopen(file.id, name, sc_H5P_DEFAULT()), .object,
                                           operation: "open '\(name)'", path: path) else { return nil }
        switch H5Iget_type(object.id) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return nil
        }
    }

    /// The names of a group's members (links), in name order.
    /// - Parameter group: the group's path (`""`: the root).
    /// - Returns: the member names.
    /// - Throws: `.invalidLayout` when `group` is not a group of the file; `.hdf5` on a read failure.
    package func members(of group: String) throws(FeatureStoreError) -> [String] {
        guard kind(group) == .group else { throw .invalidLayout(path: path, reason: "'\(group)' is not a group") }
        let handle = try HDF5Object(H5Gopen2(file.id, group.isEmpty ? "." : group, sc_H5P_DEFAULT()), .group,
                                    operation: "open group '\(group)'", path: path)
        var info = H5G_info_t()
        try HDF5.check(H5Gget_info(handle.id, &info), "read group '\(group)'", path: path)
        var names = [String]()
        for index in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, sc_H5P_DEFAULT())
            guard length >= 0, length < 65_536 else {
                throw .hdf5(operation: "read the names in group '\(group)'", path: path)
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            guard H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count,
                                     sc_H5P_DEFAULT()) >= 0 else {
                throw .hdf5(operation: "read the names in group '\(group)'", path: path)
            }
            names.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// A string attribute as a list: a one-dimensional array of fixed-size or variable-length
    /// strings, a scalar string (one element), or an empty array of any type (none).
    /// - Parameters:
    ///   - name: the attribute's name.
    ///   - object: the path of the group or dataset it is attached to (`""`: the root).
    /// - Returns: the strings, or nil when there is no such attribute.
    /// - Throws: `.invalidLayout` for an attribute of another type or rank, `.overBudget` when it
    ///   would need more than 64 MB; `.hdf5` on a read failure.
    package func strings(attribute name: String, of object: String) throws(FeatureStoreError) -> [String]? {
        guard kind(object) != nil, H5Aexists_by_name(file.id, object.isEmpty ? "." : object, name, sc_H5P_DEFAULT()) > 0
        else { return nil }
        let attribute = try HDF5Object(H5Aopen_by_name(file.id, object.isEmpty ? "." : object, name, sc_H5P_DEFAULT(),
                                                       sc_H5P_DEFAULT()), .attribute,
                                       operation: "open attribute '\(name)' of '\(object)'", path: path)
        let space = try HDF5Object(H5Aget_space(attribute.id), .dataspace, operation: "read an attribute", path: path)
        let rank = H5Sget_simple_extent_ndims(space.id)
        let count = Int(H5Sget_simple_extent_npoints(space.id))
        let what = "attribute '\(name)' of '\(object.isEmpty ? "/" : object)'"
        guard rank >= 0, rank <= 1, count >= 0 else {
            throw .invalidLayout(path: path, reason: "\(what) is not a list")
        }
        guard count > 0 else { return [] }
        let type = try HDF5Object(H5Aget_type(attribute.id), .datatype, operation: "read an attribute", path: path)
        guard H5Tget_class(type.id) == H5T_STRING else {
            throw .invalidLayout(path: path, reason: "\(what) does not hold strings")
        }
        let limit = 64 << 20
        if H5Tis_variable_str(type.id) > 0 {
            try StoreFile.requireBudget(count, bytesEach: 8, what: what, path: path, budget: limit)
            let memType = try HDF5.variableStringType(characterSet: H5Tget_cset(type.id), path: path)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try HDF5.check(H5Aread(attribute.id, memType.id, &pointers), "read \(what)", path: path)
            defer { _ = sc_H5_reclaim(memType.id, space.id, &pointers) }
            return pointers.map { pointer in
                guard let pointer else { return "" }
                return String(decoding: UnsafeBufferPointer(start: pointer, count: strnlen(pointer, limit))
                    .map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        let size = H5Tget_size(type.id)
        guard size > 0 else { throw .invalidLayout(path: path, reason: "\(what) has empty strings") }
        try StoreFile.requireBudget(count, bytesEach: size, what: what, path: path, budget: limit)
        var bytes = [UInt8](repeating: 0, count: count * size)
        try HDF5.check(H5Aread(attribute.id, type.id, &bytes), "read \(what)", path: path)
        return (0..<count).map { i in String(decoding: bytes[i * size ..< (i + 1) * size].prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Reads a floating-point dataset (16, 32 or 64 bits per value) as float32 in C order; an
    /// integer scalar (8 to 64 bits: the sample count Keras' `Normalization` keeps next to its
    /// weights) is converted to float32 by HDF5.
    /// - Parameter name: the dataset's path.
    /// - Returns: its shape (outermost first; `[]` for a scalar) and values.
    /// - Throws: `.missingDataset` when there is no such dataset (or it is reached through a soft
    ///   or external link); `.invalidLayout` for another element type or more than 8 dimensions;
    ///   `.declaredBeyondFile` when the file does not hold the data the shape declares;
    ///   `.overBudget` when the reads together would exceed ``elementBudget``; `.hdf5`.
    package func floats(_ name: String) throws(FeatureStoreError) -> (shape: [Int], values: [Float]) {
        guard kind(name) == .dataset else { throw .missingDataset(path: path, name: name) }
        let dataset = try HDF5Object(H5Dopen2(file.id, name, sc_H5P_DEFAULT()), .dataset,
                                     operation: "open dataset '\(name)'", path: path)
        let space = try HDF5Object(H5Dget_space(dataset.id), .dataspace, operation: "read a dataspace", path: path)
        let rank = Int(H5Sget_simple_extent_ndims(space.id))
        guard (0...8).contains(rank) else {
            throw .invalidLayout(path: path, reason: "'\(name)' has \(rank) dimensions (at most 8 are read)")
        }
        let shape = rank == 0 ? [] : try HDF5.extent(of: dataset, path: path)
        let type = try HDF5Object(H5Dget_type(dataset.id), .datatype, operation: "read a dataset type", path: path)
        let numeric = H5Tget_class(type.id) == H5T_FLOAT && [2, 4, 8].contains(H5Tget_size(type.id))
            || rank == 0 && H5Tget_class(type.id) == H5T_INTEGER && [1, 2, 4, 8].contains(H5Tget_size(type.id))
        guard numeric else {
            throw .invalidLayout(path: path, reason: "'\(name)' does not hold 16-, 32- or 64-bit floating-point numbers")
        }
        try StoreFile.requireStored(dataset, named: name, shape: shape, path: path, fileSize: fileSize)
        let count = shape.reduce(1, *)
        let (total, overflow) = elementsRead.addingReportingOverflow(count)
        guard !overflow, total <= elementBudget else {
            throw .overBudget(path: path, what: "'\(name)' after \(elementsRead) values", bytes: 4 * count,
                              budget: 4 * max(0, elementBudget - elementsRead))
        }
        var values = [Float](repeating: 0, count: count)
        if count > 0 {
            try HDF5.checkRead(H5Dread(dataset.id, sc_H5T_NATIVE_FLOAT(), sc_H5S_ALL(), sc_H5S_ALL(), sc_H5P_DEFAULT(),
                                       &values), name, path: path)
        }
        elementsRead = total
        return (shape, values)
    }

    /// The components of a relative path, or nil for an absolute path or one with empty, `.`
    /// or `..` components.
    private static func components(_ name: String) -> [String]? {
        guard !name.isEmpty else { return [] }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return nil }
        return parts
    }

    /// Whether each prefix of the path exists as a hard link.
    private func followsHardLinks(_ components: [String]) -> Bool {
        var prefix = ""
        for component in components {
            prefix = prefix.isEmpty ? component : prefix + "/" + component
            guard H5Lexists(file.id, prefix, sc_H5P_DEFAULT()) > 0,
                  sc_H5_is_hard_link(file.id, prefix) == 1 else { return false }
        }
        return true
    }
}

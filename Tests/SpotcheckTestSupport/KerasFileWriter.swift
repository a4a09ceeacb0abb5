import CHDF5
import Foundation

/// Writes HDF5 files in Keras' weights layouts through libhdf5 (as h5py does for Keras), and the
/// odd files the hostile-input tests need. Test code: failures are thrown as plain errors.
public final class KerasFileWriter {
    /// An HDF5 call that failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What was being done.
        public let description: String
    }

    private let file: hid_t
    private let linkCreation: hid_t
    private var isOpen = true

    /// Creates (or truncates) a file.
    /// - Parameter url: the file.
    /// - Throws: ``Failure``.
    public init(_ url: URL) throws {
        sc_H5_silence_errors()
        file = H5Fcreate(url.path, sc_H5F_ACC_TRUNC(), sc_H5P_DEFAULT(), sc_H5P_DEFAULT())
        linkCreation = H5Pcreate(sc_H5P_LINK_CREATE())
        guard file >= 0, linkCreation >= 0, H5Pset_create_intermediate_group(linkCreation, 1) >= 0 else {
            throw Failure(description: "create \(url.path)")
        }
    }

    /// Closes the file.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        H5Pclose(linkCreation)
        H5Fclose(file)
    }

    deinit { close() }

    /// Writes a Keras 2 (`legacy_h5_format`) weights file: `layer_names` on the root, one group per
    /// layer with `weight_names`, each weight a float32 dataset at `layer/weight name` (a scalar an
    /// integer one, as Keras writes a `Normalization`'s count).
    /// - Parameters:
    ///   - layers: name and weights (file name, shape, values) of every layer, weightless ones included.
    ///   - url: the file.
    /// - Throws: ``Failure``.
    public static func writeLegacy(_ layers: [(name: String, weights: [(name: String, shape: [Int], values: [Float])])],
                                   to url: URL) throws {
        let writer = try KerasFileWriter(url)
        defer { writer.close() }
        try writer.stringsAttribute("layer_names", layers.map(\.name), on: "/")
        for layer in layers {
            try writer.group(layer.name)
            try writer.stringsAttribute("weight_names", layer.weights.map(\.name), on: layer.name)
            for weight in layer.weights {
                try writer.weight("\(layer.name)/\(weight.name)", shape: weight.shape, values: weight.values)
            }
        }
    }

    /// Writes a Keras 3 (`.weights.h5`) file: `layers/<group>/vars/<i>`, the layer's name as the
    /// `name` attribute of `vars`.
    /// - Parameters:
    ///   - groups: group path (`layers/conv2d/vars`), layer name, and the variables in order.
    ///   - url: the file.
    /// - Throws: ``Failure``.
    public static func writeKeras3(_ groups: [(path: String, name: String, variables: [(shape: [Int], values: [Float])])],
                                   to url: URL) throws {
        let writer = try KerasFileWriter(url)
        defer { writer.close() }
        try writer.group("layers")
        for group in groups {
            try writer.group(group.path)
            try writer.stringsAttribute("name", [group.name], on: group.path)
            for (index, variable) in group.variables.enumerated() {
                try writer.weight("\(group.path)/\(index)", shape: variable.shape, values: variable.values)
            }
        }
    }

    /// A weight as Keras writes it: float32, except a scalar (a `Normalization` layer's sample
    /// count), which Keras keeps as an integer.
    private func weight(_ path: String, shape: [Int], values: [Float]) throws {
        if shape.isEmpty {
            try integerDataset(path, shape: [])
        } else {
            try dataset(path, shape: shape, values: values)
        }
    }

    /// Creates a group (and the groups above it).
    /// - Parameter path: its path.
    /// - Throws: ``Failure``.
    public func group(_ path: String) throws {
        guard H5Lexists(file, path, sc_H5P_DEFAULT()) <= 0 else { return }
        let id = H5Gcreate2(file, path, linkCreation, sc_H5P_DEFAULT(), sc_H5P_DEFAULT())
        guard id >= 0 else { throw Failure(description: "create group \(path)") }
        H5Gclose(id)
    }

    /// Attaches a one-dimensional fixed-length string attribute (numpy `S` strings, as Keras 2
    /// wrote them); an empty list becomes an empty float64 array, as h5py stores `np.array([])`.
    /// - Parameters:
    ///   - name: the attribute's name.
    ///   - strings: its values.
    ///   - object: the group it goes on.
    /// - Throws: ``Failure``.
    public func stringsAttribute(_ name: String, _ strings: [String], on object: String) throws {
        var dims = [hsize_t(strings.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let size = max(1, strings.map(\.utf8.count).max() ?? 1)
        let type = strings.isEmpty ? H5Tcopy(sc_H5T_NATIVE_DOUBLE()) : H5Tcopy(sc_H5T_C_S1())
        defer { H5Tclose(type) }
        if !strings.isEmpty { H5Tset_size(type, size) }
        let attribute = H5Acreate_by_name(file, object, name, type, space, sc_H5P_DEFAULT(), sc_H5P_DEFAULT(),
                                          sc_H5P_DEFAULT())
        guard attribute >= 0 else { throw Failure(description: "create attribute \(name) on \(object)") }
        defer { H5Aclose(attribute) }
        var bytes = [UInt8](repeating: 0, count: max(1, strings.count * size))
        for (index, string) in strings.enumerated() {
            bytes.replaceSubrange(index * size ..< index * size + string.utf8.count, with: string.utf8)
        }
        guard H5Awrite(attribute, type, &bytes) >= 0 else { throw Failure(description: "write attribute \(name)") }
    }

    /// Writes a float32 dataset.
    /// - Parameters:
    ///   - path: its path (groups above it are created).
    ///   - shape: its shape.
    ///   - values: its values, C order.
    /// - Throws: ``Failure``.
    public func dataset(_ path: String, shape: [Int], values: [Float]) throws {
        let id = try create(path, shape: shape, type: sc_H5T_IEEE_F32LE(), chunk: nil)
        defer { H5Dclose(id) }
        guard values.isEmpty || H5Dwrite(id, sc_H5T_NATIVE_FLOAT(), sc_H5S_ALL(), sc_H5S_ALL(), sc_H5P_DEFAULT(),
                                         values) >= 0 else { throw Failure(description: "write \(path)") }
    }

    /// Writes a 32-bit integer dataset of 7s (no weights are integers; a `Normalization` count is).
    /// - Parameters:
    ///   - path: its path.
    ///   - shape: its shape.
    /// - Throws: ``Failure``.
    public func integerDataset(_ path: String, shape: [Int]) throws {
        let id = try create(path, shape: shape, type: sc_H5T_NATIVE_INT32(), chunk: nil)
        defer { H5Dclose(id) }
        let values = [Int32](repeating: 7, count: shape.reduce(1, *))
        guard H5Dwrite(id, sc_H5T_NATIVE_INT32(), sc_H5S_ALL(), sc_H5S_ALL(), sc_H5P_DEFAULT(), values) >= 0 else {
            throw Failure(description: "write \(path)")
        }
    }

    /// Declares a chunked float32 dataset of `shape` and writes nothing: a few bytes that claim
    /// a huge array.
    /// - Parameters:
    ///   - path: its path.
    ///   - shape: its declared shape.
    /// - Throws: ``Failure``.
    public func emptyDataset(_ path: String, shape: [Int]) throws {
        H5Dclose(try create(path, shape: shape, type: sc_H5T_IEEE_F32LE(), chunk: shape.map { min($0, 64) }))
    }

    /// Writes `count` float32 zeros deflated in chunks (a small file declaring many values).
    /// - Parameters:
    ///   - path: its path.
    ///   - count: the values.
    /// - Throws: ``Failure``.
    public func compressedZeros(_ path: String, count: Int) throws {
        let id = try create(path, shape: [count], type: sc_H5T_IEEE_F32LE(), chunk: [1 << 18], deflate: true)
        defer { H5Dclose(id) }
        guard H5Dwrite(id, sc_H5T_NATIVE_FLOAT(), sc_H5S_ALL(), sc_H5S_ALL(), sc_H5P_DEFAULT(),
                       [Float](repeating: 0, count: count)) >= 0 else { throw Failure(description: "write \(path)") }
    }

    /// Adds an external link to a dataset in another file.
    /// - Parameters:
    ///   - path: the link's path.
    ///   - target: the other file.
    ///   - object: the object in it.
    /// - Throws: ``Failure``.
    public func externalLink(_ path: String, to target: URL, object: String) throws {
        guard H5Lcreate_external(target.path, object, file, path, linkCreation, sc_H5P_DEFAULT()) >= 0 else {
            throw Failure(description: "link \(path)")
        }
    }

    private func create(_ path: String, shape: [Int], type: hid_t, chunk: [Int]?, deflate: Bool = false) throws -> hid_t {
        var dims = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, nil)
        defer { H5Sclose(space) }
        let properties = H5Pcreate(sc_H5P_DATASET_CREATE())
        defer { H5Pclose(properties) }
        if let chunk {
            var sides = chunk.map { hsize_t(max($0, 1)) }
            H5Pset_chunk(properties, Int32(sides.count), &sides)
            if deflate { H5Pset_deflate(properties, 9) }
        }
        let id = H5Dcreate2(file, path, type, space, linkCreation, properties, sc_H5P_DEFAULT())
        guard id >= 0 else { throw Failure(description: "create dataset \(path)") }
        return id
    }
}

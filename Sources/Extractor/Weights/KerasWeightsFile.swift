import FeatureStore
import Foundation

/// The weights of a Keras model saved as HDF5, read with libhdf5 (through FeatureStore's
/// checked tree reader) in the order Keras itself loads them.
///
/// Two layouts (told apart by their content, not the file name):
/// - **Keras 2** (`model.save_weights('x.h5')`, the `keras.applications` downloads such as
///   `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`, and Keras 3's legacy writer): root
///   attribute `layer_names` (or chunks `layer_names0`, `layer_names1`, … when long), per layer a
///   group with attribute `weight_names` naming datasets in that group
///   (`block1_conv1/block1_conv1/kernel:0`). Keras loads these by position: the k-th layer with
///   weights of the file goes to the k-th layer with weights of the model, whatever their names.
///   A whole-model file keeps the same under a `model_weights` group.
/// - **Keras 3** (`model.save_weights('x.weights.h5')`): `layers/<class>[_k]/vars/0, 1, …`, where
///   `<class>_k` is the k-th layer of that class (`conv2d_3`, `batch_normalization`); recent
///   versions record the layer's name as the `name` attribute of `vars`.
///
/// Every array is checked (float type, rank, declared size against the bytes stored, a total
/// budget of twice the file size in values) before it is read; see `HDF5TreeReader`.
package struct KerasWeightsFile: Sendable {
    /// The two layouts.
    package enum Format: String, Sendable {
        /// Keras 2 `layer_names` / `weight_names`.
        case legacy
        /// Keras 3 `layers/<class>[_k]/vars/<i>`.
        case keras3
    }

    /// One weight as the file names it.
    package struct Weight: Sendable {
        /// Its name in the file: the `weight_names` entry (Keras 2) or the dataset path (Keras 3).
        package let name: String
        /// Its values, in the file's (Keras) layout: HWIO kernels, IO dense kernels.
        package let tensor: WeightTensor
    }

    /// One layer that has weights.
    package struct Layer: Sendable {
        /// The layer's name in the file (`block1_conv1`); for Keras 3 the recorded `name`
        /// attribute, or the group name when there is none.
        package let name: String
        /// Keras 3 only: the group under `layers/` (`conv2d_3`); empty for Keras 2.
        package let group: String
        /// Its weights in the order Keras assigns them.
        package let weights: [Weight]
    }

    /// The file's path.
    package let file: String
    /// The layout found.
    package let format: Format
    /// Keras 2: the layers with weights, in `layer_names` order. Keras 3: every group under
    /// `layers/` with variables, in name order.
    package let layers: [Layer]

    /// Reads a Keras weights file.
    /// - Parameter url: the `.h5` file.
    /// - Throws: ``CheckpointError`` naming the file: `.unknownFormat` when it is not HDF5 or has
    ///   neither layout, `.malformed` for inconsistent contents (a weight name without its
    ///   dataset, a non-float dataset, data the file does not hold), `.limitExceeded` when it
    ///   declares more values than a weights file of its size may.
    package init(contentsOf url: URL) throws {
        file = url.path
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        do {
            let reader = try HDF5TreeReader(path: url.path, elementBudget: Checkpoint.elementBudget(fileSize: size))
            let root = reader.kind("model_weights") == .group ? "model_weights" : ""
            if let names = try Self.chunkedStrings("layer_names", of: root, in: reader) {
                format = .legacy
                layers = try Self.legacyLayers(names, root: root, in: reader)
            } else if reader.kind("layers") == .group {
                format = .keras3
                layers = try Self.keras3Layers(in: reader)
            } else {
                throw CheckpointFailure.unknownFormat
            }
        } catch let error as FeatureStoreError {
            throw CheckpointError(file: url.path, reason: Self.failure(error))
        } catch let failure as CheckpointFailure {
            throw CheckpointError(file: url.path, reason: failure)
        }
    }

    /// Whether a file starts with the HDF5 signature (at offset 0, where Keras and h5py put it).
    /// - Parameter bytes: the start of the file.
    /// - Returns: whether it looks like HDF5.
    package static func looksLikeHDF5(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// A string-list attribute as Keras writes it: whole, or split into `NAME0`, `NAME1`, … when
    /// it exceeds an object header (`save_attributes_to_hdf5_group`); nil when absent.
    private static func chunkedStrings(_ name: String, of object: String,
                                       in reader: HDF5TreeReader) throws(FeatureStoreError) -> [String]? {
        if let whole = try reader.strings(attribute: name, of: object) { return whole }
        var chunks = [String]()
        var index = 0
        while let chunk = try reader.strings(attribute: "\(name)\(index)", of: object) {
            chunks += chunk
            index += 1
        }
        return index == 0 ? nil : chunks
    }

    private static func legacyLayers(_ names: [String], root: String,
                                     in reader: HDF5TreeReader) throws -> [Layer] {
        var layers = [Layer]()
        for name in names {
            let group = root.isEmpty ? name : "\(root)/\(name)"
            guard reader.kind(group) == .group else {
                throw CheckpointFailure.malformed("layer '\(name)' of 'layer_names' has no group")
            }
            let weightNames = try chunkedStrings("weight_names", of: group, in: reader) ?? []
            guard !weightNames.isEmpty else { continue }
            var weights = [Weight]()
            for weight in weightNames {
                weights.append(Weight(name: weight, tensor: try tensor("\(group)/\(weight)", in: reader)))
            }
            layers.append(Layer(name: name, group: "", weights: weights))
        }
        return layers
    }

    private static func keras3Layers(in reader: HDF5TreeReader) throws -> [Layer] {
        var layers = [Layer]()
        for group in try reader.members(of: "layers") where reader.kind("layers/\(group)/vars") == .group {
            let vars = "layers/\(group)/vars"
            let members = Set(try reader.members(of: vars))
            var weights = [Weight]()
            while members.contains(String(weights.count)) {
                let path = "\(vars)/\(weights.count)"
                weights.append(Weight(name: path, tensor: try tensor(path, in: reader)))
            }
            guard weights.count == members.count else {
                throw CheckpointFailure.malformed("'\(vars)' holds \(members.sorted()) instead of 0, 1, …")
            }
            guard !weights.isEmpty else { continue }
            let recorded = try reader.strings(attribute: "name", of: vars)?.first
            layers.append(Layer(name: recorded ?? group, group: group, weights: weights))
        }
        return layers
    }

    private static func tensor(_ path: String, in reader: HDF5TreeReader) throws -> WeightTensor {
        guard reader.kind(path) == .dataset else {
            throw CheckpointFailure.malformed("weight '\(path)' is named but is not a dataset of the file")
        }
        let (shape, values) = try reader.floats(path)
        return WeightTensor(shape: shape, values: values)
    }

    /// The checkpoint failure a tree-reader error amounts to.
    private static func failure(_ error: FeatureStoreError) -> CheckpointFailure {
        switch error {
        case .fileNotFound: return .missingFile
        case .notHDF5: return .unknownFormat
        case .overBudget(_, let what, let bytes, let budget):
            return .limitExceeded("reading \(what) needs \(bytes) bytes, more than the \(budget) a weights file of this size may hold")
        case .notARegularFile(_, let kind): return .unreadable("it is \(kind), not a regular file")
        case .missingDataset(_, let name): return .malformed("'\(name)' is not a dataset of the file")
        case .invalidLayout(_, let reason): return .malformed(reason)
        case .declaredBeyondFile(_, let dataset, let shape, let reason):
            return .malformed("'\(dataset)' declares shape \(shape) but \(reason)")
        case .checksumMismatch(_, let dataset): return .malformed("'\(dataset)' fails its checksum")
        case .hdf5(let operation, _): return .malformed("HDF5 could not \(operation)")
        default: return .malformed("\(error)")
        }
    }
}

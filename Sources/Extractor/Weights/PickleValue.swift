/// The only callables a weights pickle may name (torch's `weights_only=True` allow-list, narrowed
/// to what state dicts and numpy weight pickles use). Anything else is refused before it is built.
enum PickleGlobal: Equatable {
    /// `collections.OrderedDict`: builds an empty dictionary.
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2`: a tensor view of a storage.
    case rebuildTensorV2
    /// `torch._utils._rebuild_parameter`: a parameter wrapping a tensor (unwrapped).
    case rebuildParameter
    /// `torch.<Type>Storage`: only a dtype marker inside persistent ids.
    case storageType(StorageDType)
    /// `numpy.core.multiarray._reconstruct`: an empty ndarray filled by BUILD.
    case numpyReconstruct
    /// `numpy.ndarray`: only an argument of `_reconstruct`.
    case numpyArrayType
    /// `numpy.dtype`: a numpy element type.
    case numpyDType

    /// Resolves a `module.name` pair against the allow-list.
    /// - Throws: ``CheckpointFailure/disallowedGlobal(module:name:)`` for everything else.
    init(module: String, name: String) throws {
        if module == "torch", let dtype = StorageDType(torchStorage: name) {
            self = .storageType(dtype)
            return
        }
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"):
            self = .numpyReconstruct
        case ("numpy", "ndarray"): self = .numpyArrayType
        case ("numpy", "dtype"): self = .numpyDType
        default:
            throw CheckpointFailure.disallowedGlobal(module: module, name: name)
        }
    }
}

/// A torch storage named by a persistent id: its key in the file and its element type.
struct StorageReference: Equatable {
    /// The storage's key (`archive/data/<key>` in zip files, the storage list in legacy files).
    let key: String
    /// The element type.
    let dtype: StorageDType
}

/// A tensor produced by `_rebuild_tensor_v2`: a strided view of a storage, not yet copied.
struct TensorReference: Equatable {
    /// The storage it views.
    let storage: StorageReference
    /// First element, in elements.
    let offset: Int
    /// Dimensions.
    let shape: [Int]
    /// Element steps per dimension.
    let strides: [Int]
}

/// A dictionary key: pickled state dicts use strings (and, rarely, integers).
enum PickleKey: Hashable {
    case string(String)
    case int(Int)

    /// The key as text.
    var text: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        }
    }
}

/// A pickled dictionary: entries in insertion order.
struct PickleDictionary {
    /// Keys in insertion order.
    private(set) var keys: [PickleKey] = []
    /// Values by key.
    private(set) var values: [PickleKey: PickleValue] = [:]

    /// Sets `key` to `value`, keeping the key's first position.
    mutating func set(_ key: PickleKey, _ value: PickleValue) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
}

/// A numpy element type: kind and byte order (`numpy.dtype('f4')` then BUILD with `'<'`).
struct NumpyDType: Equatable {
    /// The element type.
    let dtype: StorageDType
    /// Whether elements are stored big-endian.
    var bigEndian: Bool
}

/// A numpy array being reconstructed (`_reconstruct` makes it, BUILD fills it).
struct NumpyArrayState {
    /// Dimensions, once BUILD has run.
    var shape: [Int] = []
    /// Element type (an index into the machine's dtypes), once BUILD has run.
    var dtype: Int?
    /// Whether the raw data is in Fortran (column-major) order.
    var fortranOrder = false
    /// The raw data inside the file, once BUILD has run.
    var data: Range<Int>?
}

/// A value on the pickle machine's stack. Mutable containers live in the machine's arena and are
/// referred to by index, so that memoised references see later APPENDs and SETITEMs.
enum PickleValue: Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits (little-endian two's complement bytes), e.g. torch's magic number.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    /// A byte string: its range inside the file (never copied).
    case bytes(Range<Int>)
    case tuple([PickleValue])
    /// Index into the machine's lists.
    case list(Int)
    /// Index into the machine's dictionaries.
    case dict(Int)
    case global(PickleGlobal)
    case storage(StorageReference)
    case tensor(TensorReference)
    /// Index into the machine's numpy arrays.
    case ndarray(Int)
    /// Index into the machine's numpy dtypes (BUILD sets their byte order after memoisation).
    case numpyDType(Int)

    /// A short type name for error messages.
    var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global: return "global"
        case .storage: return "storage"
        case .tensor: return "tensor"
        case .ndarray: return "ndarray"
        case .numpyDType: return "dtype"
        }
    }
}

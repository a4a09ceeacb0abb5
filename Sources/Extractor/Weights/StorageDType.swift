/// The element types a checkpoint may store; every one is converted to float32 on load.
enum StorageDType: String, Sendable, Equatable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    /// Bytes per element.
    var width: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// The dtype of a `torch.<Name>Storage` global, or nil when `name` is no storage type.
    init?(torchStorage name: String) {
        let table: [String: StorageDType] = [
            "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16,
            "BFloat16Storage": .bfloat16, "LongStorage": .int64, "IntStorage": .int32,
            "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
        ]
        guard let dtype = table[name] else { return nil }
        self = dtype
    }

    /// The dtype of a numpy type code such as `f4` or `i8`, or nil when unsupported.
    init?(numpyCode code: String) {
        let table: [String: StorageDType] = [
            "f4": .float32, "f8": .float64, "f2": .float16, "i8": .int64, "i4": .int32,
            "i2": .int16, "i1": .int8, "u1": .uint8, "b1": .bool,
        ]
        guard let dtype = table[code] else { return nil }
        self = dtype
    }

    /// The dtype of a safetensors dtype name such as `F32`, or nil when unsupported.
    init?(safetensors name: String) {
        let table: [String: StorageDType] = [
            "F32": .float32, "F64": .float64, "F16": .float16, "BF16": .bfloat16, "I64": .int64,
            "I32": .int32, "I16": .int16, "I8": .int8, "U8": .uint8, "BOOL": .bool,
        ]
        guard let dtype = table[name] else { return nil }
        self = dtype
    }

    /// Converts `count` consecutive elements starting at `source` to float32 into `target`.
    /// Little-endian float32 is a bulk copy; everything else is one pass of conversions.
    /// - Parameter swapped: whether the stored byte order is the opposite of the host's.
    func convert(_ source: UnsafeRawPointer, count: Int, swapped: Bool, into target: UnsafeMutablePointer<Float>) {
        if self == .float32 && !swapped {
            target.update(from: source.assumingMemoryBound(to: Float.self), count: count)
            return
        }
        for index in 0..<count { target[index] = element(source + index * width, swapped: swapped) }
    }

    /// The element stored at `pointer`, as float32.
    func element(_ pointer: UnsafeRawPointer, swapped: Bool) -> Float {
        func load<T: FixedWidthInteger>(_: T.Type) -> T {
            let raw = pointer.loadUnaligned(as: T.self)
            return swapped ? raw.byteSwapped : raw
        }
        switch self {
        case .float32: return Float(bitPattern: load(UInt32.self))
        case .float64: return Float(Double(bitPattern: load(UInt64.self)))
        case .float16: return StorageDType.halfToFloat(load(UInt16.self))
        case .bfloat16: return Float(bitPattern: UInt32(load(UInt16.self)) << 16)
        case .int64: return Float(load(Int64.self))
        case .int32: return Float(load(Int32.self))
        case .int16: return Float(load(Int16.self))
        case .int8: return Float(load(Int8.self))
        case .uint8: return Float(load(UInt8.self))
        case .bool: return load(UInt8.self) == 0 ? 0 : 1
        }
    }

    /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN included).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1f
        let mantissa = UInt32(bits & 0x03ff)
        if exponent == 0x1f { return Float(bitPattern: sign | 0x7f80_0000 | mantissa << 13) }
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
    }
}

extension StorageDType {
    /// Whether data stored with the given byte order must be swapped on this machine.
    static func needsSwap(fileIsLittleEndian: Bool) -> Bool {
        fileIsLittleEndian != (1.littleEndian == 1)
    }
}

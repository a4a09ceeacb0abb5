/// A restricted pickle virtual machine: it implements only the opcodes that PyTorch state dicts and
/// numpy weight pickles use, resolves globals only against ``PickleGlobal``'s allow-list, and
/// "calls" only those (building plain values, never running code). Every read is bounds-checked,
/// every pop checks the stack, and the work is linear in the input's length.
struct PickleMachine {
    /// Lists built so far (referred to by ``PickleValue/list(_:)``).
    private(set) var lists: [[PickleValue]] = []
    /// Dictionaries built so far, entries in insertion order (``PickleValue/dict(_:)``).
    private(set) var dicts: [PickleDictionary] = []
    /// numpy arrays built so far (``PickleValue/ndarray(_:)``).
    private(set) var arrays: [NumpyArrayState] = []
    /// numpy dtypes built so far (``PickleValue/numpyDType(_:)``).
    private(set) var dtypes: [NumpyDType] = []
    /// Every storage named by a persistent id, by key.
    private(set) var storages: [String: StorageReference] = [:]

    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Runs one pickle starting at `cursor.offset` up to its STOP opcode.
    /// - Parameter cursor: where the pickle starts; on return, just past its STOP.
    /// - Returns: the unpickled value.
    /// - Throws: ``CheckpointFailure`` for disallowed content, truncation or inconsistency.
    mutating func run(_ cursor: inout ByteCursor) throws -> PickleValue {
        stack.removeAll(keepingCapacity: true)
        marks.removeAll()
        memo.removeAll()
        while true {
            let opcodeOffset = cursor.offset
            let opcode = try cursor.byte("a pickle (no STOP opcode)")
            if opcode == Op.stop {
                guard marks.isEmpty, stack.count == 1, let result = stack.popLast() else {
                    throw CheckpointFailure.malformed("pickle stops with \(stack.count) values on its stack")
                }
                return result
            }
            try execute(opcode, at: opcodeOffset, &cursor)
        }
    }

    // MARK: - Opcodes

    private enum Op {
        static let mark: UInt8 = 0x28, stop: UInt8 = 0x2e, pop: UInt8 = 0x30, popMark: UInt8 = 0x31
        static let dup: UInt8 = 0x32, binFloat: UInt8 = 0x47, binInt: UInt8 = 0x4a, binInt1: UInt8 = 0x4b
        static let binInt2: UInt8 = 0x4d, none: UInt8 = 0x4e, binPersID: UInt8 = 0x51, reduce: UInt8 = 0x52
        static let binUnicode: UInt8 = 0x58, emptyList: UInt8 = 0x5d, append: UInt8 = 0x61
        static let build: UInt8 = 0x62, global: UInt8 = 0x63, appends: UInt8 = 0x65, binGet: UInt8 = 0x68
        static let longBinGet: UInt8 = 0x6a, binPut: UInt8 = 0x71, longBinPut: UInt8 = 0x72
        static let setItem: UInt8 = 0x73, tuple: UInt8 = 0x74, setItems: UInt8 = 0x75
        static let emptyDict: UInt8 = 0x7d, emptyTuple: UInt8 = 0x29, proto: UInt8 = 0x80
        static let tuple1: UInt8 = 0x85, tuple2: UInt8 = 0x86, tuple3: UInt8 = 0x87
        static let newTrue: UInt8 = 0x88, newFalse: UInt8 = 0x89, long1: UInt8 = 0x8a
        static let shortBinBytes: UInt8 = 0x43, binBytes: UInt8 = 0x42, shortBinUnicode: UInt8 = 0x8c
        static let binUnicode8: UInt8 = 0x8d, binBytes8: UInt8 = 0x8e, stackGlobal: UInt8 = 0x93
        static let memoize: UInt8 = 0x94, frame: UInt8 = 0x95
    }

    private mutating func execute(_ opcode: UInt8, at opcodeOffset: Int, _ cursor: inout ByteCursor) throws {
        switch opcode {
        case Op.proto:
            let version = try cursor.byte("PROTO")
            guard version <= 5 else { throw CheckpointFailure.malformed("pickle protocol \(version)") }
        case Op.frame:
            _ = try cursor.littleEndian(8, "FRAME")
        case Op.mark: marks.append(stack.count)
        case Op.pop: _ = try pop()
        case Op.popMark: _ = try popToMark()
        case Op.dup: stack.append(try top())
        case Op.none: stack.append(.none)
        case Op.newTrue: stack.append(.bool(true))
        case Op.newFalse: stack.append(.bool(false))
        case Op.binInt1: stack.append(.int(Int(try cursor.littleEndian(1, "BININT1"))))
        case Op.binInt2: stack.append(.int(Int(try cursor.littleEndian(2, "BININT2"))))
        case Op.binInt: stack.append(.int(Int(Int32(truncatingIfNeeded: try cursor.littleEndian(4, "BININT")))))
        case Op.long1: try pushLong1(&cursor)
        case Op.binFloat:
            let range = try cursor.take(8, "BINFLOAT")
            var bits: UInt64 = 0
            for index in range { bits = bits << 8 | UInt64(cursor.bytes[index]) }
            stack.append(.float(Double(bitPattern: bits)))
        case Op.shortBinUnicode: try pushString(&cursor, lengthWidth: 1)
        case Op.binUnicode: try pushString(&cursor, lengthWidth: 4)
        case Op.binUnicode8: try pushString(&cursor, lengthWidth: 8)
        case Op.shortBinBytes: try pushBytes(&cursor, lengthWidth: 1)
        case Op.binBytes: try pushBytes(&cursor, lengthWidth: 4)
        case Op.binBytes8: try pushBytes(&cursor, lengthWidth: 8)
        case Op.emptyTuple: stack.append(.tuple([]))
        case Op.tuple: stack.append(.tuple(try popToMark()))
        case Op.tuple1, Op.tuple2, Op.tuple3:
            let count = Int(opcode - Op.tuple1) + 1
            guard stack.count - count >= (marks.last ?? 0) else { throw underflow() }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            stack.append(.tuple(items))
        case Op.emptyList:
            lists.append([])
            stack.append(.list(lists.count - 1))
        case Op.append:
            let item = try pop()
            try appendToList([item])
        case Op.appends:
            let items = try popToMark()
            try appendToList(items)
        case Op.emptyDict:
            dicts.append(PickleDictionary())
            stack.append(.dict(dicts.count - 1))
        case Op.setItem:
            let value = try pop()
            let key = try pop()
            try setItems([key, value])
        case Op.setItems:
            try setItems(try popToMark())
        case Op.binPut: try put(Int(try cursor.littleEndian(1, "BINPUT")))
        case Op.longBinPut: try put(Int(try cursor.littleEndian(4, "LONG_BINPUT")))
        case Op.memoize: try put(memo.count)
        case Op.binGet: try get(Int(try cursor.littleEndian(1, "BINGET")))
        case Op.longBinGet: try get(Int(try cursor.littleEndian(4, "LONG_BINGET")))
        case Op.global:
            let module = try line(&cursor)
            let name = try line(&cursor)
            stack.append(.global(try PickleGlobal(module: module, name: name)))
        case Op.stackGlobal:
            let name = try pop()
            let module = try pop()
            guard case .string(let moduleName) = module, case .string(let globalName) = name else {
                throw CheckpointFailure.malformed("STACK_GLOBAL needs two strings")
            }
            stack.append(.global(try PickleGlobal(module: moduleName, name: globalName)))
        case Op.reduce:
            let arguments = try pop()
            let callable = try pop()
            guard case .tuple(let items) = arguments, case .global(let global) = callable else {
                throw CheckpointFailure.malformed("REDUCE on \(callable.typeName) with \(arguments.typeName)")
            }
            stack.append(try call(global, items))
        case Op.build:
            let state = try pop()
            try build(try top(), state)
        case Op.binPersID:
            stack.append(try persistentLoad(try pop()))
        default:
            throw CheckpointFailure.unsupportedOpcode(opcode, offset: opcodeOffset)
        }
    }

    // MARK: - Stack helpers

    private func underflow() -> CheckpointFailure { .malformed("pickle stack underflow") }

    private mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else { throw underflow() }
        return value
    }

    private func top() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else { throw underflow() }
        return value
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw CheckpointFailure.malformed("pickle has no MARK to pop to") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func put(_ index: Int) throws { memo[index] = try top() }

    private mutating func get(_ index: Int) throws {
        guard let value = memo[index] else { throw CheckpointFailure.malformed("pickle memo \(index) is unset") }
        stack.append(value)
    }

    // MARK: - Literals

    private mutating func length(_ cursor: inout ByteCursor, width: Int, _ what: String) throws -> Int {
        let raw = try cursor.littleEndian(width, what)
        guard raw <= UInt64(cursor.remaining) else { throw CheckpointFailure.truncated(what) }
        return Int(raw)
    }

    private mutating func pushString(_ cursor: inout ByteCursor, lengthWidth: Int) throws {
        let count = try length(&cursor, width: lengthWidth, "a pickled string")
        let range = try cursor.take(count, "a pickled string")
        guard let text = String(validating: cursor.bytes[range], as: UTF8.self) else {
            throw CheckpointFailure.malformed("a pickled string is not UTF-8")
        }
        stack.append(.string(text))
    }

    private mutating func pushBytes(_ cursor: inout ByteCursor, lengthWidth: Int) throws {
        let count = try length(&cursor, width: lengthWidth, "a pickled byte string")
        stack.append(.bytes(try cursor.take(count, "a pickled byte string")))
    }

    private mutating func pushLong1(_ cursor: inout ByteCursor) throws {
        let count = Int(try cursor.byte("LONG1"))
        let range = try cursor.take(count, "LONG1")
        if count > 8 {
            stack.append(.bigInt(Array(cursor.bytes[range])))
            return
        }
        guard count > 0 else { stack.append(.int(0)); return }
        let raw = ByteCursor.littleEndian(cursor.bytes, range)
        let shift = UInt64(64 - 8 * count)
        stack.append(.int(Int(Int64(bitPattern: raw << shift) >> shift)))
    }

    /// One newline-terminated ASCII line (GLOBAL's operands), at most 256 bytes.
    private func line(_ cursor: inout ByteCursor) throws -> String {
        let limit = min(cursor.remaining, 256)
        guard limit > 0, let newline = cursor.bytes[cursor.offset..<(cursor.offset + limit)].firstIndex(of: 0x0a) else {
            throw CheckpointFailure.truncated("a GLOBAL opcode's name")
        }
        let range = try cursor.take(newline - cursor.offset, "a GLOBAL opcode's name")
        cursor.offset += 1
        guard let text = String(validating: cursor.bytes[range], as: UTF8.self) else {
            throw CheckpointFailure.malformed("a GLOBAL name is not text")
        }
        return text
    }

    // MARK: - Containers

    private mutating func appendToList(_ items: [PickleValue]) throws {
        guard case .list(let id) = try top() else {
            throw CheckpointFailure.malformed("APPEND to a \(try top().typeName)")
        }
        lists[id].append(contentsOf: items)
    }

    private mutating func setItems(_ items: [PickleValue]) throws {
        guard items.count % 2 == 0 else { throw CheckpointFailure.malformed("SETITEMS with an odd count") }
        guard case .dict(let id) = try top() else {
            throw CheckpointFailure.malformed("SETITEM on a \(try top().typeName)")
        }
        for pair in stride(from: 0, to: items.count, by: 2) {
            switch items[pair] {
            case .string(let text): dicts[id].set(.string(text), items[pair + 1])
            case .int(let number): dicts[id].set(.int(number), items[pair + 1])
            default: throw CheckpointFailure.malformed("dictionary key of type \(items[pair].typeName)")
            }
        }
    }

    // MARK: - The allow-listed callables

    private mutating func call(_ global: PickleGlobal, _ arguments: [PickleValue]) throws -> PickleValue {
        switch global {
        case .orderedDict:
            guard arguments.isEmpty else { throw CheckpointFailure.malformed("OrderedDict with arguments") }
            dicts.append(PickleDictionary())
            return .dict(dicts.count - 1)
        case .rebuildTensorV2:
            guard arguments.count >= 4, case .storage(let storage) = arguments[0],
                  case .int(let offset) = arguments[1],
                  let shape = integers(arguments[2]), let strides = integers(arguments[3]) else {
                throw CheckpointFailure.malformed("_rebuild_tensor_v2 with unexpected arguments")
            }
            return .tensor(TensorReference(storage: storage, offset: offset, shape: shape, strides: strides))
        case .rebuildParameter:
            guard let data = arguments.first, case .tensor = data else {
                throw CheckpointFailure.malformed("_rebuild_parameter without a tensor")
            }
            return data
        case .numpyReconstruct:
            guard arguments.count == 3, arguments[0] == .global(.numpyArrayType) else {
                throw CheckpointFailure.malformed("numpy _reconstruct of something other than ndarray")
            }
            arrays.append(NumpyArrayState())
            return .ndarray(arrays.count - 1)
        case .numpyDType:
            guard let first = arguments.first, case .string(let code) = first else {
                throw CheckpointFailure.malformed("numpy.dtype without a type code")
            }
            guard let dtype = StorageDType(numpyCode: code) else {
                throw CheckpointFailure.unsupportedDType("numpy '\(code)'")
            }
            dtypes.append(NumpyDType(dtype: dtype, bigEndian: false))
            return .numpyDType(dtypes.count - 1)
        case .storageType, .numpyArrayType:
            throw CheckpointFailure.malformed("a type marker is called")
        }
    }

    /// BUILD: fills a numpy array or sets a dtype's byte order; ignores a state dict's `_metadata`.
    private mutating func build(_ target: PickleValue, _ state: PickleValue) throws {
        switch (target, state) {
        case (.dict, .dict), (.dict, .none):
            return  // torch attaches `_metadata` (module versions) to the OrderedDict: not needed.
        case (.numpyDType(let id), .tuple(let items)):
            guard items.count >= 2, case .string(let order) = items[1] else {
                throw CheckpointFailure.malformed("numpy dtype state")
            }
            guard ["<", ">", "|", "="].contains(order) else {
                throw CheckpointFailure.malformed("numpy byte order '\(order)'")
            }
            dtypes[id].bigEndian = order == ">"
        case (.ndarray(let id), .tuple(let items)):
            // (version, shape, dtype, is_fortran, raw bytes); version is absent in old pickles.
            let fields = items.count == 5 ? Array(items.dropFirst()) : items
            guard fields.count == 4, let shape = integers(fields[0]), case .numpyDType(let dtype) = fields[1],
                  case .bool(let fortran) = fields[2], case .bytes(let data) = fields[3] else {
                throw CheckpointFailure.malformed("numpy array state (object arrays are not weights)")
            }
            arrays[id] = NumpyArrayState(shape: shape, dtype: dtype, fortranOrder: fortran, data: data)
        default:
            throw CheckpointFailure.malformed("BUILD of \(target.typeName) with \(state.typeName)")
        }
    }

    /// A persistent id `('storage', torch.<T>Storage, key, location, numel[, view])`.
    private mutating func persistentLoad(_ id: PickleValue) throws -> PickleValue {
        guard case .tuple(let items) = id, items.count >= 5, items[0] == .string("storage"),
              case .global(.storageType(let dtype)) = items[1] else {
            throw CheckpointFailure.malformed("a persistent id that is not a torch storage")
        }
        let key: String
        switch items[2] {
        case .string(let text): key = text
        case .int(let number): key = String(number)
        default: throw CheckpointFailure.malformed("a storage key of type \(items[2].typeName)")
        }
        // torch < 0.4 wrote storage *views* as a sixth item (view key, offset, size); later files
        // write None there (legacy) or nothing (zip). Refuse views rather than misplace data.
        if items.count > 5, items[5] != .none {
            throw CheckpointFailure.unsupported("a storage view from torch < 0.4 (re-save the checkpoint with a current torch)")
        }
        let storage = StorageReference(key: key, dtype: dtype)
        if let known = storages.updateValue(storage, forKey: key), known.dtype != dtype {
            throw CheckpointFailure.malformed("storage \(key) is used with two element types")
        }
        return .storage(storage)
    }

    /// The integers of a tuple or list value, or nil.
    private func integers(_ value: PickleValue) -> [Int]? {
        let items: [PickleValue]
        switch value {
        case .tuple(let elements): items = elements
        case .list(let id): items = lists[id]
        default: return nil
        }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case .int(let number) = item else { return nil }
            result.append(number)
        }
        return result
    }
}

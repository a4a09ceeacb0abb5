import CHDF5

extension HDF5 {
    /// Names collected by `H5Aiterate2`'s callback.
    private final class NameList { var names: [String] = [] }

    /// The names of the attributes attached to object `owner`, in name order.
    static func attributeNames(of owner: HDF5Object, path: String) throws(FeatureStoreError) -> [String] {
        let list = NameList()
        let context = Unmanaged.passUnretained(list).toOpaque()
        var index: hsize_t = 0
        let status = withExtendedLifetime(list) {
            H5Aiterate2(owner.id, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, context in
                guard let name, let context else { return -1 }
                Unmanaged<NameList>.fromOpaque(context).takeUnretainedValue().names.append(String(cString: name))
                return 0
            }, context)
        }
        try check(status, "list attributes", path: path)
        return list.names
    }

    /// Reads every scalar string or integer attribute of object `owner`; attributes of other
    /// types or shapes (arrays, floats, compounds) are left out.
    static func readAttributes(of owner: HDF5Object, path: String) throws(FeatureStoreError) -> FeatureStoreAttributes {
        var attributes = FeatureStoreAttributes()
        for name in try attributeNames(of: owner, path: path) {
            let attribute = try HDF5Object(H5Aopen(owner.id, name, sc_H5P_DEFAULT()), .attribute,
                                           operation: "open attribute '\(name)'", path: path)
            if let value = try readScalar(attribute, path: path) { attributes[name] = value }
        }
        return attributes
    }

    /// The value of a one-element string or integer attribute, or `nil` for anything else.
    private static func readScalar(_ attribute: HDF5Object, path: String) throws(FeatureStoreError) -> FeatureStoreAttributeValue? {
        let space = try HDF5Object(H5Aget_space(attribute.id), .dataspace, operation: "read an attribute", path: path)
        guard H5Sget_simple_extent_npoints(space.id) == 1 else { return nil }
        let type = try HDF5Object(H5Aget_type(attribute.id), .datatype, operation: "read an attribute", path: path)
        switch H5Tget_class(type.id) {
        case H5T_INTEGER:
            var value: Int64 = 0
            try check(H5Aread(attribute.id, sc_H5T_NATIVE_INT64(), &value), "read an attribute", path: path)
            return .integer(Int(value))
        case H5T_STRING where H5Tis_variable_str(type.id) > 0:
            let memType = try variableStringType(characterSet: H5Tget_cset(type.id), path: path)
            var pointer: UnsafeMutablePointer<CChar>?
            try check(H5Aread(attribute.id, memType.id, &pointer), "read an attribute", path: path)
            let text = pointer.map { String(cString: $0) } ?? ""
            _ = sc_H5_reclaim(memType.id, space.id, &pointer)
            return .string(text)
        case H5T_STRING:
            var bytes = [UInt8](repeating: 0, count: H5Tget_size(type.id))
            try check(H5Aread(attribute.id, type.id, &bytes), "read an attribute", path: path)
            return .string(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
        default:
            return nil
        }
    }

    /// Writes (or replaces) the scalar attribute `name` of object `owner`.
    static func writeAttribute(_ name: String, _ value: FeatureStoreAttributeValue, to owner: HDF5Object,
                               path: String) throws(FeatureStoreError) {
        try deleteAttribute(name, of: owner, path: path)
        let space = try HDF5Object(H5Screate(H5S_SCALAR), .dataspace, operation: "make a dataspace", path: path)
        switch value {
        case .integer(let number):
            let attribute = try HDF5Object(
                H5Acreate2(owner.id, name, sc_H5T_STD_I64LE(), space.id, sc_H5P_DEFAULT(), sc_H5P_DEFAULT()),
                .attribute, operation: "create attribute '\(name)'", path: path)
            var stored = Int64(number)
            try check(H5Awrite(attribute.id, sc_H5T_NATIVE_INT64(), &stored), "write attribute '\(name)'", path: path)
        case .string(let text):
            let type = try variableStringType(path: path)
            let attribute = try HDF5Object(
                H5Acreate2(owner.id, name, type.id, space.id, sc_H5P_DEFAULT(), sc_H5P_DEFAULT()),
                .attribute, operation: "create attribute '\(name)'", path: path)
            try withCStrings([text]) { (pointers) throws(FeatureStoreError) in
                try check(H5Awrite(attribute.id, type.id, pointers), "write attribute '\(name)'", path: path)
            }
        }
    }

    /// Deletes the attribute `name` of object `owner` when it exists.
    static func deleteAttribute(_ name: String, of owner: HDF5Object, path: String) throws(FeatureStoreError) {
        if H5Aexists(owner.id, name) > 0 {
            try check(H5Adelete(owner.id, name), "delete attribute '\(name)'", path: path)
        }
    }
}

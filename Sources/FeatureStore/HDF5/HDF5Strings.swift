import CHDF5
import Glibc

extension HDF5 {
    /// Calls `body` with an array of C strings (UTF-8 copies of `strings`) and frees them after.
    static func withCStrings<R>(_ strings: some Collection<String>,
                                _ body: ([UnsafePointer<CChar>?]) throws(FeatureStoreError) -> R) throws(FeatureStoreError) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return try body(copies.map { UnsafePointer($0) })
    }

    /// Reads elements `start ..< start + count` of a one-dimensional string dataset, whether its
    /// strings are variable-length (h5py's `special_dtype(vlen=str)`) or fixed-size.
    static func readStrings(_ dataset: HDF5Object, start: Int, count: Int,
                            path: String) throws(FeatureStoreError) -> [String] {
        guard count > 0 else { return [] }
        let fileType = try HDF5Object(H5Dget_type(dataset.id), .datatype, operation: "read a string type", path: path)
        guard H5Tget_class(fileType.id) == H5T_STRING else {
            throw .invalidLayout(path: path, reason: "a string dataset holds non-string elements")
        }
        let selection = try rowSelection(of: dataset, extent: [start + count], start: start, count: count, path: path)
        if H5Tis_variable_str(fileType.id) > 0 {
            let memType = try variableStringType(characterSet: H5Tget_cset(fileType.id), path: path)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try checkRead(H5Dread(dataset.id, memType.id, selection.memory.id, selection.file.id, sc_H5P_DEFAULT(), &pointers),
                          name(of: dataset), path: path)
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = sc_H5_reclaim(memType.id, selection.memory.id, &pointers)
            return strings
        }
        let size = H5Tget_size(fileType.id)
        let (total, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, total <= Int(UInt32.max) else {
            throw .declaredBeyondFile(path: path, dataset: name(of: dataset), shape: [count],
                                      reason: "strings of \(size) bytes each need more memory than a reader allows")
        }
        var bytes = [UInt8](repeating: 0, count: total)
        try checkRead(H5Dread(dataset.id, fileType.id, selection.memory.id, selection.file.id, sc_H5P_DEFAULT(), &bytes),
                      name(of: dataset), path: path)
        return (0..<count).map { i in
            let field = bytes[i * size ..< (i + 1) * size]
            return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The dataset's name in the file without the leading `/`, for messages.
    static func name(of dataset: HDF5Object) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard H5Iget_name(dataset.id, &buffer, buffer.count) > 0 else { return "a string dataset" }
        let full = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return full.hasPrefix("/") ? String(full.dropFirst()) : full
    }

    /// Writes `strings` as elements `start ..< start + strings.count` of a one-dimensional
    /// variable-length UTF-8 dataset, growing it to exactly that many elements first.
    static func writeStrings(_ strings: some Collection<String>, to dataset: HDF5Object, start: Int,
                             path: String) throws(FeatureStoreError) {
        let count = strings.count
        var newSize = [hsize_t(start + count)]
        try check(H5Dset_extent(dataset.id, &newSize), "grow a string dataset", path: path)
        guard count > 0 else { return }
        let type = try variableStringType(path: path)
        let selection = try rowSelection(of: dataset, extent: [start + count], start: start, count: count, path: path)
        try withCStrings(strings) { (pointers) throws(FeatureStoreError) in
            try check(H5Dwrite(dataset.id, type.id, selection.memory.id, selection.file.id, sc_H5P_DEFAULT(), pointers),
                      "write strings", path: path)
        }
    }
}

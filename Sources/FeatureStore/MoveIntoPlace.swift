import Glibc

/// Renames a finished temporary file to its final name.
///
/// Without `overwrite` an existing file at `destination` is never replaced: `link(2)` (which
/// refuses to replace) makes the new name, then the temporary name is removed.
/// - Parameters:
///   - source: the temporary (`.partial`) file.
///   - destination: the final name.
///   - overwrite: replace an existing `destination` atomically (`rename(2)`).
/// - Throws: `FeatureStoreError.alreadyExists` when `destination` exists and `overwrite` is
///   false (the temporary file is kept); `.io` on another failure.
func moveIntoPlace(_ source: String, _ destination: String, overwrite: Bool) throws(FeatureStoreError) {
    if overwrite {
        guard rename(source, destination) == 0 else {
            throw .io(operation: "rename into place", path: destination, errno: errno)
        }
        return
    }
    guard link(source, destination) == 0 else {
        if errno == EEXIST { throw .alreadyExists(path: destination) }
        throw .io(operation: "rename into place", path: destination, errno: errno)
    }
    unlink(source)
}

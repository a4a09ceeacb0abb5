import FileSafety
import Foundation

/// Gives a finished temporary file its final name through `AtomicFile.moveIntoPlace`, reporting
/// failures as `FeatureStoreError`.
/// - Parameters:
///   - source: the temporary (`.partial`) file.
///   - destination: the final name.
///   - overwrite: replace an existing `destination` atomically.
/// - Throws: `FeatureStoreError.alreadyExists` when `destination` exists and `overwrite` is
///   false (the temporary file is kept); `.io` on another failure.
func moveIntoPlace(_ source: String, _ destination: String, overwrite: Bool) throws(FeatureStoreError) {
    do {
        try AtomicFile.moveIntoPlace(URL(fileURLWithPath: source), URL(fileURLWithPath: destination),
                                     replacing: overwrite)
    } catch {
        switch error {
        case .alreadyExists(let path): throw .alreadyExists(path: path)
        case .io(let operation, let path, let code): throw .io(operation: operation, path: path, errno: code)
        default: throw .invalidArgument("\(error)")
        }
    }
}

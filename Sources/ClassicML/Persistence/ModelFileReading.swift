import FileSafety
import Foundation
import Glibc

/// Reads a whole model file, refusing anything but a regular file: a named pipe or a device
/// would block the read or never end.
/// - Parameter url: the model file.
/// - Returns: its bytes.
/// - Throws: `ClassicMLError.modelFile` when the file is missing, not a regular file or unreadable.
func readModelFile(_ url: URL) throws -> Data {
    switch FileKind.openRegularFile(url.path) {
    case .failure(let refusal):
        throw ClassicMLError.modelFile("cannot read \(url.path): \(refusal); pass a model file")
    case .success(let file):
        let handle = FileHandle(fileDescriptor: file.descriptor, closeOnDealloc: true)
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw ClassicMLError.modelFile("cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}

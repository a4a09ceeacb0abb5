import Foundation
import Glibc

/// The POSIX error number behind a Foundation file error (`EIO` when there is none).
/// - Parameter error: an error thrown by `FileManager` or `Data`.
/// - Returns: its `errno` value.
func posixCode(of error: Error) -> Int32 {
    let nsError = error as NSError
    if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return Int32(underlying.code)
    }
    return EIO
}

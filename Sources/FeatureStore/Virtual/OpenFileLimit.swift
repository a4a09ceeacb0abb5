import Foundation
import Glibc

/// The process's open-file limit (`RLIMIT_NOFILE`): a virtual store keeps every source file
/// open while it is read, so the soft limit (often 1,024) is raised to the hard one first.
public enum OpenFileLimit {
    /// Raises the soft limit on open files to the hard limit (allowed without privileges).
    /// - Returns: the soft limit now in force.
    @discardableResult
    public static func raiseSoftLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur == rlim_t.max ? Int.max : Int(clamping: limit.rlim_cur)
    }

    /// The file descriptors this process holds open now (entries of `/proc/self/fd`).
    /// - Returns: their number, or 0 where `/proc` is not mounted.
    public static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }
}

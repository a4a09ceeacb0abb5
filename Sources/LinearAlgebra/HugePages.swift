import Glibc

/// Transparent huge pages for large buffers, as numpy asks for every array of 4 MiB or more.
///
/// Code that reads a large matrix at scattered places (a tree gathering one feature of every
/// sample in a node: one value per row, rows kilobytes apart) misses the TLB on nearly every
/// load with 4 KiB pages; with 2 MiB pages the same loads mostly hit. Where the system's
/// transparent huge pages are in `madvise` mode (Debian's default), a buffer gets them only when
/// asked before its pages are first touched.
package enum HugePages {
    /// Buffers smaller than this are left alone (numpy's threshold).
    static let threshold = 4 << 20
    /// The huge page size on x86-64 and most arm64 kernels.
    package static let pageSize = 2 << 20

    /// Asks the kernel to back the 2 MiB-aligned interior of `buffer` with huge pages. Only advice:
    /// a kernel without transparent huge pages, or with them off, ignores it.
    /// - Parameter buffer: a buffer not yet touched, for the advice to apply when it is first written.
    package static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count >= threshold, let base = buffer.baseAddress else { return }
        let mask = UInt(pageSize - 1), address = UInt(bitPattern: base)
        let start = (address + mask) & ~mask, end = (address + UInt(buffer.count)) & ~mask
        guard end > start, let interior = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(interior, Int(end - start), MADV_HUGEPAGE)
    }
}

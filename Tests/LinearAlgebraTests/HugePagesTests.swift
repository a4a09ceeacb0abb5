import Foundation
import LinearAlgebra
import XCTest

/// Large matrices ask for transparent huge pages, as numpy's arrays do: the kernel's own account
/// of the mapping (`/proc/self/smaps`) must mark the matrix's storage eligible.
final class HugePagesTests: XCTestCase {
    func testLargeMatricesAreEligibleForHugePagesAndSmallOnesAreNot() throws {
        let mode = try String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        guard mode.contains("[madvise]") else {
            throw XCTSkip("transparent huge pages are \(mode.trimmingCharacters(in: .whitespacesAndNewlines)), not in madvise mode: nothing to observe")
        }
        let large = Matrix(rows: 4096, columns: 1024, repeating: 1)  // 16 MiB
        let picked = large.rows(at: Array((0..<4096).reversed()))
        let small = Matrix(rows: 64, columns: 1024, repeating: 1)    // 256 KiB
        for (matrix, expected) in [(large, true), (picked, true), (small, false)] {
            let eligible = try matrix.values.withUnsafeBufferPointer { buffer in
                // The first huge-page boundary inside the storage (the advice covers whole huge pages).
                let mask = UInt(HugePages.pageSize - 1)
                let address = (UInt(bitPattern: buffer.baseAddress) + mask) & ~mask
                return try Self.eligibleForHugePages(address: expected ? address : UInt(bitPattern: buffer.baseAddress))
            }
            XCTAssertEqual(eligible, expected, "\(matrix.rows) × \(matrix.columns)")
        }
        XCTAssertEqual(picked[0, 0], 1)
    }

    /// The `THPeligible` flag of the mapping that holds `address`, from `/proc/self/smaps`.
    private static func eligibleForHugePages(address: UInt) throws -> Bool {
        // Read to the end: a /proc file reports a size of 0.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if inside, fields.first == "THPeligible:" {
                return fields.last == "1"
            }
        }
        throw XCTSkip("no mapping with a THPeligible line holds \(String(address, radix: 16))")
    }
}

import Foundation

/// The size of the CPU's last-level cache, as Linux reports it in sysfs.
package enum LastLevelCache {
    /// Bytes of the highest-level cache of CPU 0 (`/sys/devices/system/cpu/cpu0/cache/index*/`),
    /// or 8 MiB when sysfs does not say (glibc's `sysconf` reports the host's total in some VMs).
    package static let bytes: Int = {
        let folder = "/sys/devices/system/cpu/cpu0/cache"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var best: (level: Int, bytes: Int)?
        for entry in entries where entry.hasPrefix("index") {
            guard let level = read("\(folder)/\(entry)/level").flatMap({ Int($0) }),
                  let size = read("\(folder)/\(entry)/size").flatMap(parse), size > 0 else { continue }
            if level > (best?.level ?? 0) { best = (level, size) }
        }
        return best?.bytes ?? 8 << 20
    }()

    private static func read(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "32768K" → 33554432; "8M" → 8388608; plain digits are bytes.
    package static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.last else { return nil }
        if let unit = units[last] {
            return Int(text.dropLast()).flatMap { $0 <= Int.max / unit ? $0 * unit : nil }
        }
        return Int(text)
    }
}

import Foundation

/// Progress of one long task on stderr: a bar with rate and ETA, redrawn in place and fitted to
/// the terminal's width, on a terminal; a plain line every few seconds otherwise (logs, CI).
final class ProgressReporter {
    private let label: String
    private let total: Int?
    private let unit: String
    private let lineInterval: TimeInterval
    private let start = Date()
    private var lastPrint = Date.distantPast
    private(set) var done = 0

    /// - Parameters:
    ///   - label: what is being done, e.g. `mobilenet_v2`.
    ///   - total: the number of units, when known (enables the bar and ETA).
    ///   - unit: the plural unit name shown with the rate, e.g. `img` or `rows`.
    ///   - lineInterval: seconds between plain lines when stderr is not a terminal.
    init(_ label: String, total: Int?, unit: String, lineInterval: TimeInterval = 5) {
        self.label = label
        self.total = total
        self.unit = unit
        self.lineInterval = lineInterval
    }

    /// Records that `done` units are finished and redraws when it is time to.
    func update(done: Int) {
        self.done = done
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (Terminal.isInteractive ? 0.1 : lineInterval) else { return }
        lastPrint = now
        Terminal.drawStatus(line(final: false))
    }

    /// Draws the bar again (after a note was printed above it).
    func redraw() {
        if Terminal.isInteractive { Terminal.drawStatus(line(final: false)) }
    }

    /// Prints the final state on its own line.
    func finish() {
        Terminal.drawStatus(line(final: true))
        Terminal.endStatus()
    }

    private func line(final: Bool) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var tail = String(format: " %.1f %@/s", rate, unit)
        if let total, !final, rate > 0 {
            tail += " ETA " + Self.duration(Double(total - done) / rate)
        } else {
            tail += " in " + Self.duration(elapsed)
        }
        guard let total else { return "\(label): \(done)" + tail }
        let counts = " \(done)/\(total)"
        guard Terminal.isInteractive else { return "\(label):" + counts + tail }
        // The bar takes what the label, counts and rate leave of the terminal's width.
        let width = min(40, Terminal.columns - label.count - counts.count - tail.count - 4)
        guard width >= 5 else { return "\(label):" + counts + tail }
        let filled = total > 0 ? min(width, width * done / total) : width
        return "\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            + counts + tail
    }

    /// `75` → `1m15s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : String(format: "%.1fs", seconds)
    }
}

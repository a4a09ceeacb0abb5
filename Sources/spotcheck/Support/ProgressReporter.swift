import Foundation

/// Progress of long work on stderr: a redrawn bar with rate and ETA on a terminal, a plain
/// line every few seconds otherwise (logs, CI). Results never go here; they go to stdout.
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let unit: String
    private let isTerminal: Bool
    private let lineInterval: TimeInterval
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var done = 0
    private let lock = NSLock()

    /// - Parameters:
    ///   - label: what is being done, e.g. `mobilenet_v2`.
    ///   - total: the number of units, when known (enables the bar and ETA).
    ///   - unit: the plural unit name shown with the rate, e.g. `img` or `rows`.
    ///   - lineInterval: seconds between plain lines when stderr is not a terminal.
    init(_ label: String, total: Int?, unit: String, lineInterval: TimeInterval = 5) {
        self.label = label
        self.total = total
        self.unit = unit
        self.isTerminal = isatty(STDERR_FILENO) != 0
        self.lineInterval = lineInterval
    }

    /// Records `count` more units done and redraws when it is time to.
    func advance(by count: Int = 1) {
        lock.lock(); defer { lock.unlock() }
        done += count
        let now = Date()
        let interval = isTerminal ? 0.1 : lineInterval
        guard now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        emit(final: false)
    }

    /// Prints the final state and ends the line.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        emit(final: true)
    }

    /// Units per second so far.
    var rate: Double {
        let elapsed = Date().timeIntervalSince(start)
        return elapsed > 0 ? Double(done) / elapsed : 0
    }

    private func emit(final: Bool) {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var text = "\(label): \(done)"
        if let total {
            text += "/\(total)"
            if isTerminal {
                let width = 28
                let filled = total > 0 ? min(width, width * done / total) : width
                text = "\(label) [" + String(repeating: "#", count: filled)
                    + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
            }
        }
        text += String(format: " %.1f %@/s", rate, unit)
        if let total, !final, rate > 0 {
            text += " ETA " + Self.duration(Double(total - done) / rate)
        } else {
            text += " in " + Self.duration(elapsed)
        }
        let line = isTerminal ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// `75` → `1m15s`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : String(format: "%.1fs", seconds)
    }
}

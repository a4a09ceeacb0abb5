import Foundation
import SpotcheckKit

/// Shows a run's events on stderr: a line per phase with its step, progress bars, notes and
/// warnings on their own lines, each skipped file once, and — with `verbose` — each pair's score.
final class TerminalObserver: SpotcheckObserver, @unchecked Sendable {
    private let verbose: Bool
    private let lock = NSLock()
    private var bars = [String: ProgressReporter]()
    private var active: ProgressReporter?

    /// - Parameter verbose: also print every pair's score as it is measured.
    init(verbose: Bool = false) {
        self.verbose = verbose
    }

    func observe(_ event: SpotcheckEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .phase(let name, let step, let count):
            say("[\(step)/\(count)] \(name)")
        case .progress(let task, let done, let total, let unit):
            let bar = bars[task] ?? ProgressReporter(task, total: total, unit: unit)
            bars[task] = bar
            active = bar
            bar.update(done: done)
        case .finished(let task):
            bars.removeValue(forKey: task)?.finish()
            active = nil
        case .note(let text):
            say(text)
        case .warning(let text):
            say("warning: " + text)
        case .skipped(let file):
            say("skipped \(file.path): \(file.reason)")
        case .pairScored(let result):
            guard verbose else { return }
            if let accuracy = result.accuracy {
                say(String(format: "  %@ + %@: accuracy %.3f (fit %.2f s)", result.extractor, result.classifier,
                           accuracy, result.fitSeconds ?? 0))
            } else {
                say("  \(result.extractor) + \(result.classifier): FAILED — \(result.error ?? "unknown error")")
            }
        }
    }

    /// A line above the progress bar, which is then drawn again.
    private func say(_ text: String) {
        Terminal.note(text)
        active?.redraw()
    }
}

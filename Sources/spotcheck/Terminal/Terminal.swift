import Foundation

/// stderr for a person at a terminal: notes and warnings each on their own line, and one status
/// line (a progress bar) redrawn in place below them. stdout holds results only.
enum Terminal {
    /// Whether stderr is a terminal (bars are redrawn in place only there).
    static let isInteractive = isatty(STDERR_FILENO) != 0

    /// The terminal's width in characters (80 when unknown).
    static var columns: Int {
        var size = winsize()
        guard isInteractive, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    nonisolated(unsafe) private static var statusShown = false

    /// Writes `message` as one line on stderr, above the status line if one is shown.
    static func note(_ message: String) {
        write((statusShown && isInteractive ? "\r\u{1B}[K" : "") + message + "\n")
        statusShown = false
    }

    /// Shows `text` as the status line: redrawn in place on a terminal, a plain line otherwise.
    static func drawStatus(_ text: String) {
        if isInteractive {
            write("\r\u{1B}[K" + text)
            statusShown = true
        } else {
            write(text + "\n")
        }
    }

    /// Ends the status line, so that what follows starts on a new line.
    static func endStatus() {
        if statusShown && isInteractive { write("\n") }
        statusShown = false
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

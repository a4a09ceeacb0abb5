import Foundation
import XCTest

/// The Python with h5py, numpy and jsonschema that scripts/test names in SPOTCHECK_TEST_PYTHON.
/// - Throws: a skip when it is not set.
public func testPython() throws -> String {
    guard let python = ProcessInfo.processInfo.environment["SPOTCHECK_TEST_PYTHON"] else {
        throw XCTSkip("SPOTCHECK_TEST_PYTHON is not set (scripts/test sets it to the venv with h5py and jsonschema)")
    }
    return python
}

/// Runs `executable` with `arguments` and waits for it.
/// - Parameters:
///   - executable: the program.
///   - arguments: its arguments.
///   - environment: variables set (or replaced) in the inherited environment.
/// - Returns: its exit status, stdout and stderr.
/// - Throws: when it cannot be started.
public func runTool(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes at once, so neither can fill up and stall the child.
    let errors = PipeReader(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// A built executable of this package (`spotcheck`, `spotcheck-bench`), from the build products
/// folder next to the test bundle.
/// - Parameter name: the product's name.
/// - Returns: its path.
/// - Throws: `MissingExecutable` naming the command that builds it.
public func builtExecutable(_ name: String) throws -> String {
    let products = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        Bundle.main.bundleURL,
        Bundle.main.bundleURL.deletingLastPathComponent(),
    ]
    for folder in products {
        let candidate = folder.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw MissingExecutable(name: name, searched: products.map(\.path))
}

/// The built `spotcheck` executable.
/// - Throws: `MissingExecutable`.
public func spotcheckExecutable() throws -> String {
    try builtExecutable("spotcheck")
}

/// An executable was not found in the build products.
public struct MissingExecutable: Error, CustomStringConvertible {
    /// The product's name.
    public let name: String
    /// The folders searched.
    public let searched: [String]

    /// What to do.
    public var description: String {
        "no \(name) executable in \(searched); build it with `swift build -c release --product \(name)`"
    }
}

/// `folder/final_report.json`, parsed.
/// - Throws: when it is missing or not a JSON object.
public func runReport(_ folder: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: folder.appendingPathComponent("final_report.json"))
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Everything the pipe delivered, once it is closed.
    func wait() -> Data {
        done.wait()
        return data
    }
}

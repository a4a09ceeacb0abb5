import Foundation
import XCTest

/// The built `spotcheck` executable: next to the test bundle in the build products folder.
func spotcheckExecutable() throws -> String {
    try builtExecutable("spotcheck")
}

/// A built executable of this package (`spotcheck`, `spotcheck-bench`) in the build products folder.
func builtExecutable(_ name: String) throws -> String {
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

/// An executable was not found in the build products.
struct MissingExecutable: Error, CustomStringConvertible {
    let name: String
    let searched: [String]
    var description: String {
        "no \(name) executable in \(searched); build it with `swift build -c release --product \(name)`"
    }
}

/// Runs `executable` with `arguments`; returns its exit status, stdout and stderr.
func runTool(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// A fresh scratch directory, removed when the test ends.
func scratchDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("spotcheck-cli-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

import Foundation
import SpotcheckTestSupport

/// The URL of a file under this test target's `Fixtures` folder.
func fixtureURL(_ name: String) throws -> URL {
    try fixtureURL(name, in: .module)
}

/// A JSON object fixture of this test target.
func jsonFixture(_ name: String) throws -> [String: Any] {
    try jsonFixture(name, in: .module)
}

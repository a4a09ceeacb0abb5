// swift-tools-version:6.0
// A program that uses spotcheck as a library: it depends on the package by path, as another
// project would by URL, and runs a spot-check through SpotcheckKit.
import PackageDescription

let package = Package(
    name: "FindBestPair",
    dependencies: [.package(name: "spotcheck", path: "../..")],
    targets: [
        .executableTarget(name: "FindBestPair", dependencies: [.product(name: "SpotcheckKit", package: "spotcheck")]),
    ],
    swiftLanguageModes: [.v6]
)

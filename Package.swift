// swift-tools-version:6.0
// spotcheck — transfer learning on Linux: pretrained CNN features → HDF5 stores →
// a spot-check of classic classifiers → reports/final_report.json.
import PackageDescription

/// Hot numeric targets are compiled for x86-64 with AVX2 and FMA (Haswell and later);
/// without it Swift emits SSE2-only loops. This is the documented CPU baseline.
let nativeSpeed: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]

let package = Package(
    name: "spotcheck",
    products: [
        .executable(name: "spotcheck", targets: ["spotcheck"]),
        .library(name: "Extractor", targets: ["Extractor"]),
        .library(name: "FeatureStore", targets: ["FeatureStore"]),
        .library(name: "ClassicML", targets: ["ClassicML"]),
        .library(name: "LinearAlgebra", targets: ["LinearAlgebra"]),
        .library(name: "FileSafety", targets: ["FileSafety"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Debian system libraries, one thin target each.
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // oneDNN (Debian libdnnl-dev; no pkg-config file): the C API plus the OpenMP calls that size
        // its thread team. Debian builds it with OpenMP, hence libgomp.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // The one compiled C target: what Swift cannot express (setjmp/longjmp error
        // recovery for libjpeg and libpng).
        .target(name: "CSpotcheckShims", dependencies: ["CJPEG", "CPNG"]),

        // Libraries.
        .target(name: "FileSafety"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLAPACKE"],
                swiftSettings: nativeSpeed),
        .target(name: "FeatureStore", dependencies: ["CHDF5", "CZlib", "LinearAlgebra", "FileSafety"],
                swiftSettings: nativeSpeed),
        .target(name: "Extractor",
                dependencies: ["LinearAlgebra", "CSpotcheckShims", "CDNNL"],
                resources: [.copy("Resources")],
                swiftSettings: nativeSpeed),
        .target(name: "ClassicML", dependencies: ["LinearAlgebra", "FileSafety", "COpenBLAS", "CLAPACKE"],
                swiftSettings: nativeSpeed),

        // The command-line tool: argument parsing, progress, reports.
        .executableTarget(name: "spotcheck", dependencies: [
            "Extractor", "FeatureStore", "ClassicML", "LinearAlgebra",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: one target per module, plus end-to-end tests of the CLI.
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "FileSafetyTests", dependencies: ["FileSafety"]),
        .testTarget(name: "FeatureStoreTests", dependencies: ["FeatureStore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ExtractorTests", dependencies: ["Extractor"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ClassicMLTests", dependencies: ["ClassicML"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "spotcheckTests", dependencies: ["FeatureStore", "LinearAlgebra", "ClassicML", "Extractor"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)

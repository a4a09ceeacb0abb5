// swift-tools-version:6.0
// spotcheck — transfer learning on Linux: pretrained CNN features → HDF5 stores →
// a spot-check of classic classifiers → reports/final_report.json.
import PackageDescription

let package = Package(
    name: "spotcheck",
    products: [
        .executable(name: "spotcheck", targets: ["spotcheck"]),
        .executable(name: "spotcheck-bench", targets: ["spotcheck-bench"]),
        .library(name: "SpotcheckKit", targets: ["SpotcheckKit"]),
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

        // Vector kernels compiled for AVX2 and baseline x86-64, chosen at load time (no flags).
        .target(name: "CVectorKernels"),

        // Libraries.
        .target(name: "FileSafety"),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS", "CLAPACKE", "CVectorKernels"]),
        .target(name: "FeatureStore", dependencies: ["CHDF5", "CZlib", "LinearAlgebra", "FileSafety"]),
        .target(name: "Extractor",
                dependencies: ["LinearAlgebra", "FileSafety", "FeatureStore", "CSpotcheckShims", "CDNNL"],
                resources: [.copy("Resources")]),
        .target(name: "ClassicML", dependencies: ["LinearAlgebra", "FileSafety"]),

        // The spot-check as steps a program can call: where the libraries meet.
        .target(name: "SpotcheckKit",
                dependencies: ["Extractor", "FeatureStore", "ClassicML", "LinearAlgebra", "FileSafety"]),

        // The command-line tool: parses arguments, calls SpotcheckKit, prints.
        .executableTarget(name: "spotcheck", dependencies: [
            "SpotcheckKit", "Extractor", "FeatureStore", "ClassicML", "FileSafety",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The measurements behind BENCHMARKS.md, apart from the shipped tool.
        .executableTarget(name: "spotcheck-bench", dependencies: [
            "Extractor", "FeatureStore", "ClassicML", "LinearAlgebra",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/spotcheck-bench"),

        // Tests: one target per module, in-process tests of SpotcheckKit, end-to-end tests of the
        // CLI, and the helpers they share.
        .target(name: "SpotcheckTestSupport", dependencies: ["CHDF5"], path: "Tests/SpotcheckTestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "FileSafetyTests", dependencies: ["FileSafety", "SpotcheckTestSupport"]),
        .testTarget(name: "FeatureStoreTests", dependencies: ["FeatureStore", "SpotcheckTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ExtractorTests", dependencies: ["Extractor", "SpotcheckTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ClassicMLTests", dependencies: ["ClassicML", "SpotcheckTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "SpotcheckKitTests", dependencies: ["SpotcheckKit", "Extractor", "FeatureStore", "ClassicML", "FileSafety",
                                                             "SpotcheckTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "spotcheckTests", dependencies: ["FeatureStore", "LinearAlgebra", "ClassicML", "Extractor",
                                                           "SpotcheckTestSupport"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)

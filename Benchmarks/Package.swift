// swift-tools-version:6.1
// Benchmarks of SESIOR's pure codecs; a separate package so the main build never compiles them.
import PackageDescription

let package = Package(
    name: "sesior-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sesior", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "HTTPParserBenchmark",
            dependencies: [
                .product(name: "HTTPCore", package: "sesior"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)

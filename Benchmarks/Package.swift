// swift-tools-version:6.1
// SESIOR benchmark programs, kept out of the main package so `swift build` there stays lean.
// Run from this directory: `swift run -c release <Program> ...` (scripts/bench.sh does).
import PackageDescription

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "sesior-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sesior", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "CodecBenchmark",
            dependencies: [
                .product(name: "SessionKit", package: "sesior"),
                .product(name: "SocketIO", package: "sesior"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HTTPParserBenchmark",
            dependencies: [
                .product(name: "HTTPCore", package: "sesior"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RedisSessionBenchmark",
            dependencies: [
                .product(name: "RedisStore", package: "sesior"),
                .product(name: "SessionKit", package: "sesior"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SocketIOFanoutClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SocketIOFanoutServer",
            dependencies: [
                .product(name: "SocketIO", package: "sesior"),
                .product(name: "RedisStore", package: "sesior"),
                .product(name: "HTTPCore", package: "sesior"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WebSocketEchoBenchmark",
            exclude: ["echo-client.js", "node-ws-echo-server.js", "run.sh"],
            swiftSettings: swiftSettings
        ),
    ]
)

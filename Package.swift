// swift-tools-version:6.1
// SESIOR: one session shared by REST routes and real-time sockets, persisted in Redis.
import PackageDescription

/// Set by scripts/fuzz.sh: libFuzzer's coverage instrumentation goes into this package's own
/// modules only (the fuzz build compiles everything with `-sanitize=address`, not
/// `-sanitize=fuzzer`). libFuzzer scans every coverage counter of the binary after each input,
/// and NIO, AsyncAlgorithms and the other dependencies held five sixths of them.
let fuzzCoverage = Context.environment["SESIOR_FUZZ_COVERAGE"] != nil

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
] + (fuzzCoverage ? [.unsafeFlags(["-sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table"])] : [])

/// A libFuzzer target: an executable whose `LLVMFuzzerTestOneInput` drives one pure decoder.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzDriver"] + dependencies, path: "Fuzz/\(name)", exclude: ["corpus", "libfuzzer.options"],
        swiftSettings: swiftSettings,
        // The libFuzzer runtime (its main loop and the coverage callbacks), linked only into fuzz targets.
        linkerSettings: fuzzCoverage ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : []
    )
}

let package = Package(
    name: "sesior",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "JavaScriptFormats", targets: ["JavaScriptFormats"]),
        .library(name: "HTTPCore", targets: ["HTTPCore"]),
        .library(name: "HTTPCoreTLS", targets: ["HTTPCoreTLS"]),
        .library(name: "WebSocketCore", targets: ["WebSocketCore"]),
        .library(name: "SessionKit", targets: ["SessionKit"]),
        .library(name: "SessionMiddleware", targets: ["SessionMiddleware"]),
        .library(name: "RedisStore", targets: ["RedisStore"]),
        .library(name: "SocketIO", targets: ["SocketIO"]),
        .library(name: "SesiorUsers", targets: ["SesiorUsers"]),
        .executable(name: "sesior", targets: ["SesiorServer"]),
        .executable(name: "websocket-echo-server", targets: ["WebSocketEchoServer"]),
        .executable(name: "socketio-conformance-server", targets: ["SocketIOConformanceServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries from Debian packages.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Libraries, bottom-up.
        // JSON and Base64 as Node reads and writes them; no dependency, shared by every layer.
        .target(name: "JavaScriptFormats", swiftSettings: swiftSettings),
        .target(
            name: "HTTPCore",
            dependencies: [
                "JavaScriptFormats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // TLS for HTTPCore's server (swift-nio-ssl), kept apart so that HTTPCore itself builds
        // without BoringSSL.
        .target(
            name: "HTTPCoreTLS",
            dependencies: [
                "HTTPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WebSocketCore",
            dependencies: [
                "HTTPCore", "CZlib", "COpenSSL", "JavaScriptFormats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SessionKit",
            dependencies: ["COpenSSL", "JavaScriptFormats", .product(name: "CoreMetrics", package: "swift-metrics"),],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SessionMiddleware",
            dependencies: ["HTTPCore", "SessionKit", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RedisStore",
            dependencies: [
                "SessionKit", "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SocketIO",
            dependencies: [
                "HTTPCore", "WebSocketCore", "RedisStore", "JavaScriptFormats", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // The showcase's user names and who holds each: shared by `sesior` and the Hummingbird
        // example so that both agree on names on one Redis.
        .target(name: "SesiorUsers", dependencies: ["SessionKit", "RedisStore", "JavaScriptFormats"], swiftSettings: swiftSettings),

        // Executables.
        .executableTarget(
            name: "SesiorServer",
            dependencies: [
                "HTTPCore", "HTTPCoreTLS", "SessionKit", "SessionMiddleware", "RedisStore", "WebSocketCore", "SocketIO",
                "SesiorUsers", "JavaScriptFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Public")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WebSocketEchoServer",
            dependencies: [
                "HTTPCore", "WebSocketCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SocketIOConformanceServer",
            dependencies: [
                "HTTPCore", "SocketIO", "WebSocketCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Test support shared by several test targets: a throwaway redis-server, the runner of
        // the Python and Node.js test clients and scripts, and the SessionStore conformance suite.
        .target(
            name: "SesiorTesting",
            dependencies: ["SessionKit", "JavaScriptFormats"],
            swiftSettings: swiftSettings
        ),

        // Fuzz targets (built with -sanitize=fuzzer by scripts/fuzz.sh) and their shared entry point.
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver", swiftSettings: swiftSettings),
        fuzzTarget("HTTPParserFuzz", ["HTTPCore"]),
        fuzzTarget("WebSocketFrameFuzz", ["WebSocketCore"]),
        fuzzTarget("EngineIOPacketFuzz", ["SocketIO"]),
        fuzzTarget("EngineIOPayloadV3Fuzz", ["SocketIO"]),
        fuzzTarget("SocketIOPacketFuzz", ["SocketIO"]),
        fuzzTarget("SessionCookieFuzz", ["SessionKit", "JavaScriptFormats"]),
        fuzzTarget("JSONFuzz", ["JavaScriptFormats"]),
        fuzzTarget("MessagePackFuzz", ["JavaScriptFormats"]),
        fuzzTarget("RedisAdapterFuzz", ["SocketIO"]),
        fuzzTarget("JSONDifferentialFuzz", ["JavaScriptFormats", "SocketIO"]),
        fuzzTarget("HTTPDifferentialFuzz", ["HTTPCore", "JavaScriptFormats"]),

        // Tests: one target per library, plus end-to-end tests of the executable.
        .testTarget(name: "JavaScriptFormatsTests", dependencies: ["JavaScriptFormats", "SesiorTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPCoreTests", dependencies: [.product(name: "MetricsTestKit", package: "swift-metrics"), .product(name: "NIOEmbedded", package: "swift-nio"), "JavaScriptFormats", "HTTPCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WebSocketCoreTests",
            dependencies: [
                "JavaScriptFormats", "WebSocketCore", "HTTPCore",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SessionKitTests", dependencies: [.product(name: "MetricsTestKit", package: "swift-metrics"), "JavaScriptFormats", "SessionKit", "SesiorTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SessionMiddlewareTests", dependencies: ["SessionMiddleware", "HTTPCore", "SessionKit"], swiftSettings: swiftSettings),
        .testTarget(name: "RedisStoreTests", dependencies: [.product(name: "MetricsTestKit", package: "swift-metrics"), "JavaScriptFormats", "RedisStore", "SessionKit", "SesiorTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SocketIOTests", dependencies: [.product(name: "MetricsTestKit", package: "swift-metrics"), "JavaScriptFormats", "SocketIO", "HTTPCore", "RedisStore", "SesiorTesting", "CZlib", "WebSocketCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SesiorUsersTests", dependencies: ["SesiorUsers", "RedisStore", "SessionKit", "SesiorTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SesiorServerTests",
            dependencies: [
                "JavaScriptFormats", "SesiorServer", "SesiorUsers", "SesiorTesting", "RedisStore", "SessionKit", "HTTPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
    ]
)

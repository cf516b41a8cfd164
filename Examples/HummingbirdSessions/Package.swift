// swift-tools-version:6.1
// Example: SESIOR's SessionKit + RedisStore embedded in a Hummingbird 2 app as router middleware.
// It shares sessions with `sesior` (same cookie, secrets and Redis keys). The main SESIOR package
// does not depend on this package; scripts/hummingbird-example.sh builds and tests it.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "HummingbirdSessions",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HummingbirdSessions", targets: ["HummingbirdSessions"]),
        .executable(name: "hummingbird-sessions", targets: ["HummingbirdSessionsApp"]),
    ],
    dependencies: [
        // The SESIOR package at the root of this repository, named so the product references below
        // do not depend on the name of the folder it was checked out in.
        .package(name: "sesior", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "HummingbirdSessions",
            dependencies: [
                .product(name: "SessionKit", package: "sesior"),
                .product(name: "JavaScriptFormats", package: "sesior"),
                .product(name: "RedisStore", package: "sesior"),
                .product(name: "SesiorUsers", package: "sesior"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HummingbirdSessionsApp",
            dependencies: [
                "HummingbirdSessions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HummingbirdSessionsTests",
            dependencies: [
                "HummingbirdSessions",
                .product(name: "SessionKit", package: "sesior"),
                .product(name: "RedisStore", package: "sesior"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// swift-tools-version:6.1
// Bench-only peer: a Hummingbird 2 hello-world answering `GET /health` with `{"status":"ok"}`,
// the same route and JSON as `sesior`. scripts/bench.sh builds it in release and measures it with
// wrk. The main SESIOR package does not depend on this package.
import PackageDescription

let package = Package(
    name: "HummingbirdHello",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hummingbird-hello", targets: ["HummingbirdHello"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdHello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)

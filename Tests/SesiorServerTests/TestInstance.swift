import Foundation
import Logging
import Testing

@testable import SesiorServer

/// A SESIOR instance on an ephemeral port for one test, with a fixed secret (so two instances,
/// or a restarted one, accept each other's cookies) and its own run folder.
struct TestInstance {
    let instance: SesiorInstance
    let port: Int

    static let secret = "sesior end-to-end test secret"

    /// Starts an instance; `redisURL` nil keeps sessions in memory.
    static func start(
        redisURL: String? = nil, corsOrigins: [String] = [], instanceID: String = "test",
        configure: (inout SesiorConfiguration) -> Void = { _ in }
    ) async throws -> TestInstance {
        var configuration = SesiorConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.redisURL = redisURL
        configuration.secrets = [secret]
        configuration.corsOrigins = corsOrigins
        configuration.instanceID = instanceID
        configuration.runDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sesior-test-run-\(UUID().uuidString)").path
        configure(&configuration)
        var logger = Logger(label: "sesior.test")
        logger.logLevel = .error
        let instance = try await SesiorInstance(configuration: configuration, logger: logger)
        try await instance.start()
        let port = try #require(instance.server.localAddress?.port)
        return TestInstance(instance: instance, port: port)
    }

    /// Starts an instance, runs `body`, and shuts the instance down whatever happens.
    static func with<T>(
        redisURL: String? = nil, corsOrigins: [String] = [], instanceID: String = "test",
        configure: (inout SesiorConfiguration) -> Void = { _ in },
        _ body: (TestInstance) async throws -> T
    ) async throws -> T {
        let test = try await start(
            redisURL: redisURL, corsOrigins: corsOrigins, instanceID: instanceID, configure: configure)
        do {
            let result = try await body(test)
            await test.instance.shutdown()
            return result
        } catch {
            await test.instance.shutdown()
            throw error
        }
    }

    func get(_ path: String, cookie: String? = nil) async throws -> TestResponse {
        try await HTTPTestClient.get(path, port: port, cookie: cookie)
    }

    func post(_ path: String, json: String, cookie: String? = nil) async throws -> TestResponse {
        try await HTTPTestClient.postJSON(path, port: port, json: json, cookie: cookie)
    }

    /// Registers `name` and returns the session cookie.
    func register(_ name: String, cookie: String? = nil) async throws -> String {
        let response = try await post("/register", json: #"{"userName":"\#(name)"}"#, cookie: cookie)
        #expect(response.status == 200, "register \(name): \(response.status) \(response.body)")
        return try #require(response.cookie)
    }
}

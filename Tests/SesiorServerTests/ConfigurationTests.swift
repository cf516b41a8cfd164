import ArgumentParser
import Foundation
import Logging
import NIOCore
import Testing

@testable import SesiorServer

@Suite("sesior configuration: flags, environment, secret file")
struct ConfigurationTests {
    @Test("defaults")
    func defaults() throws {
        let configuration = try SesiorOptions.parse([]).configuration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 7331)
        #expect(configuration.redisURL == nil)
        #expect(configuration.secrets == nil)
        #expect(configuration.cookieName == "connect.sid")
        #expect(configuration.corsOrigins.isEmpty)
        #expect(configuration.sessionMaxAge == nil)
        #expect(configuration.runDirectory == "run")
        #expect(configuration.logLevel == .info)
    }

    @Test("flags win over environment variables, which win over defaults")
    func flagsAndEnvironment() throws {
        let environment = [
            "SESIOR_PORT": "8000", "SESIOR_REDIS_URL": "redis://10.0.0.1:6380", "SESIOR_SECRET": "new, old",
            "SESIOR_CORS_ORIGINS": "http://a.example, http://b.example", "SESIOR_SESSION_MAX_AGE": "3600",
            "SESIOR_LOG_LEVEL": "debug", "SESIOR_COOKIE_NAME": "sid",
        ]
        let fromEnvironment = try SesiorOptions.parse([]).configuration(environment: environment)
        #expect(fromEnvironment.port == 8000)
        #expect(fromEnvironment.redisURL == "redis://10.0.0.1:6380")
        #expect(fromEnvironment.secrets == ["new", "old"])
        #expect(fromEnvironment.corsOrigins == ["http://a.example", "http://b.example"])
        #expect(fromEnvironment.sessionMaxAge == 3600)
        #expect(fromEnvironment.logLevel == .debug)
        #expect(fromEnvironment.cookieName == "sid")

        let flags = try SesiorOptions.parse([
            "--port", "9000", "--redis", "redis://127.0.0.1:6379", "--secret", "s1,s2,s3",
            "--cors-origin", "http://c.example", "--cors-origin", "http://d.example", "--host", "0.0.0.0",
        ]).configuration(environment: environment)
        #expect(flags.port == 9000)
        #expect(flags.host == "0.0.0.0")
        #expect(flags.redisURL == "redis://127.0.0.1:6379")
        #expect(flags.secrets == ["s1", "s2", "s3"])
        #expect(flags.corsOrigins == ["http://c.example", "http://d.example"])
    }

    @Test("malformed values are refused", arguments: [
        ["SESIOR_PORT": "http"], ["SESIOR_PORT": "70000"], ["SESIOR_SESSION_MAX_AGE": "0"],
        ["SESIOR_LOG_LEVEL": "loud"], ["SESIOR_SECRET": " , "], ["SESIOR_TLS_CERT": "cert.pem"],
        ["SESIOR_TLS_KEY": "key.pem"], ["SESIOR_TRUST_PROXY": "loopback,10.0.0.0/40"], ["SESIOR_TRUST_PROXY": "proxy.example"],
    ])
    func malformed(environment: [String: String]) throws {
        #expect(throws: ValidationError.self) { try SesiorOptions.parse([]).configuration(environment: environment) }
    }

    @Test("timeouts: defaults, environment, flags; non-positive or non-numeric values are refused")
    func timeouts() throws {
        let defaults = try SesiorOptions.parse([]).configuration(environment: [:])
        #expect(defaults.headerReadTimeout == 10)
        #expect(defaults.idleTimeout == 5)
        #expect(defaults.pingInterval == 25)
        #expect(defaults.pingTimeout == 20)
        let environment = [
            "SESIOR_HEADER_READ_TIMEOUT": "2.5", "SESIOR_IDLE_TIMEOUT": "3", "SESIOR_PING_INTERVAL": "4",
            "SESIOR_PING_TIMEOUT": "1.5",
        ]
        let fromEnvironment = try SesiorOptions.parse([]).configuration(environment: environment)
        #expect(fromEnvironment.headerReadTimeout == 2.5)
        #expect(fromEnvironment.idleTimeout == 3)
        #expect(fromEnvironment.pingInterval == 4)
        #expect(fromEnvironment.pingTimeout == 1.5)
        let flags = try SesiorOptions.parse([
            "--header-read-timeout", "1", "--idle-timeout", "0.5", "--ping-interval", "2", "--ping-timeout", "3",
        ]).configuration(environment: environment)
        #expect(flags.headerReadTimeout == 1)
        #expect(flags.idleTimeout == 0.5)
        #expect(flags.pingInterval == 2)
        #expect(flags.pingTimeout == 3)
        #expect(SesiorInstance.timeAmount(seconds: 2.5) == .milliseconds(2500))
        for bad in [["SESIOR_IDLE_TIMEOUT": "0"], ["SESIOR_PING_TIMEOUT": "soon"], ["SESIOR_HEADER_READ_TIMEOUT": "-1"]] {
            #expect(throws: ValidationError.self) { try SesiorOptions.parse([]).configuration(environment: bad) }
        }
    }

    @Test("TLS files and trusted proxies from flags or environment")
    func tlsAndProxies() throws {
        let flags = try SesiorOptions.parse(["--tls-cert", "c.pem", "--tls-key", "k.pem", "--trust-proxy", "loopback, 10.0.0.0/8"])
            .configuration(environment: ["SESIOR_TRUST_PROXY": "all"])
        #expect(flags.tlsCertificatePath == "c.pem" && flags.tlsKeyPath == "k.pem")
        #expect(flags.trustedProxies == ["loopback", "10.0.0.0/8"])
        let fromEnvironment = try SesiorOptions.parse([]).configuration(
            environment: ["SESIOR_TLS_CERT": "c.pem", "SESIOR_TLS_KEY": "k.pem", "SESIOR_TRUST_PROXY": "uniquelocal"])
        #expect(fromEnvironment.tlsCertificatePath == "c.pem" && fromEnvironment.trustedProxies == ["uniquelocal"])
        let plain = try SesiorOptions.parse([]).configuration(environment: [:])
        #expect(plain.tlsCertificatePath == nil && plain.trustedProxies.isEmpty)
    }

    @Test("--help lists every flag")
    func help() {
        let help = Sesior.helpMessage()
        for flag in [
            "--host", "--port", "--redis", "--secret", "--run-dir", "--cookie-name", "--cors-origin",
            "--session-max-age", "--log-level", "--public-dir", "--header-read-timeout", "--idle-timeout",
            "--ping-interval", "--ping-timeout", "--tls-cert", "--tls-key", "--trust-proxy",
        ] {
            #expect(help.contains(flag), "\(flag) missing from --help")
        }
    }

    @Test("without a secret, one is generated into run/secret with mode 0600 and reused")
    func secretFile() throws {
        let runDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sesior-secret-\(UUID().uuidString)").appendingPathComponent("run").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: runDirectory).deletingLastPathComponent().path) }
        var configuration = SesiorConfiguration()
        configuration.runDirectory = runDirectory
        let logger = Logger(label: "test")

        let first = try SesiorInstance.secrets(for: configuration, logger: logger)
        let path = runDirectory + "/secret"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(first.count == 1)
        #expect(first[0].count == 64)

        let second = try SesiorInstance.secrets(for: configuration, logger: logger)
        #expect(second == first)

        configuration.secrets = ["explicit"]
        #expect(try SesiorInstance.secrets(for: configuration, logger: logger) == ["explicit"])
    }

    @Test("an instance without a secret signs with the generated one, and a restart keeps cookies valid")
    func generatedSecretSurvivesRestart() async throws {
        let runDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sesior-secret-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: runDirectory) }
        let first = try await TestInstance.start { $0.secrets = nil; $0.runDirectory = runDirectory }
        let second = try await TestInstance.start { $0.secrets = nil; $0.runDirectory = runDirectory }
        let cookie = try await first.register("alice")
        #expect(second.instance.services.lifecycle.sessionID(fromCookieHeader: cookie) != nil)
        await first.instance.shutdown()
        await second.instance.shutdown()
    }
}

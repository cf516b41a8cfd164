import Foundation
import SesiorTesting
import Testing

@testable import SesiorServer

/// `sesior --tls-cert/--tls-key`: https and wss with a certificate made for the test, Secure
/// session cookies, and a certificate re-read without dropping what is open.
@Suite struct TLSTests {
    /// A self-signed certificate for `localhost` and 127.0.0.1 whose organization is `name`,
    /// written into `directory` as `<name>.pem` and `<name>.key`.
    static func makeCertificate(named name: String, in directory: URL) async throws -> (certificate: String, key: String) {
        let certificate = directory.appendingPathComponent("\(name).pem").path
        let key = directory.appendingPathComponent("\(name).key").path
        guard let openssl = ChildProcess.executable(named: ["openssl"]) else {
            throw ChildProcessFailure(reason: "openssl was not found on PATH; install it with: apt-get install openssl")
        }
        let output = try await ChildProcess.run(
            openssl,
            arguments: [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", key, "-out", certificate,
                "-subj", "/CN=localhost/O=\(name)", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        try #require(output.status == 0, "openssl failed: \(output.standardErrorText)")
        return (certificate, key)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("python-socketio registers, connects over wss and renames; the cookie is Secure; SIGHUP's reload serves the new certificate")
    func httpsAndWSS() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await Self.makeCertificate(named: "first", in: directory)
        let second = try await Self.makeCertificate(named: "second", in: directory)
        let served = directory.appendingPathComponent("served.pem").path
        let servedKey = directory.appendingPathComponent("served.key").path
        try FileManager.default.copyItem(atPath: first.certificate, toPath: served)
        try FileManager.default.copyItem(atPath: first.key, toPath: servedKey)
        try await TestInstance.with(configure: {
            $0.tlsCertificatePath = served
            $0.tlsKeyPath = servedKey
        }) { test in
            #expect(test.instance.url?.hasPrefix("https://") == true)
            let url = "https://127.0.0.1:\(test.port)"
            for transport in ["websocket", "polling"] {
                let result = try await SocketClientPython.run(
                    "tls", ["url": url, "cafile": first.certificate, "name": "tls-\(transport)", "transport": transport])
                #expect(result["status"] as? Int == 200)
                let setCookie = try #require(result["setCookie"] as? String)
                #expect(setCookie.contains("; Secure"), "\(setCookie)")
                let reply = try #require(result["reply"] as? [Any], "\(result)")
                #expect(reply.first is NSNull, "\(result)")
                #expect(((reply.last as? [String: Any])?["user"] as? [String: String])?["userName"] == "tls-\(transport)2")
                #expect(result["subject"] as? String == "first")
            }
            // A certificate that does not load leaves the old one in use.
            try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: served))
            test.instance.reloadCertificates(logger: .init(label: "test"))
            try FileManager.default.removeItem(atPath: served)
            try FileManager.default.removeItem(atPath: servedKey)
            try FileManager.default.copyItem(atPath: second.certificate, toPath: served)
            try FileManager.default.copyItem(atPath: second.key, toPath: servedKey)
            test.instance.reloadCertificates(logger: .init(label: "test"))
            let reloaded = try await SocketClientPython.run(
                "tls", ["url": url, "cafile": second.certificate, "name": "tls-reloaded"])
            #expect(reloaded["subject"] as? String == "second")
            #expect(reloaded["status"] as? Int == 200)
        }
    }

    @Test("plain http is refused on the TLS port, and a missing key file stops start-up with the file named")
    func refusals() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pair = try await Self.makeCertificate(named: "only", in: directory)
        await #expect(throws: (any Error).self) {
            try await TestInstance.with(configure: {
                $0.tlsCertificatePath = pair.certificate
                $0.tlsKeyPath = directory.appendingPathComponent("missing.key").path
            }) { _ in }
        }
        try await TestInstance.with(configure: {
            $0.tlsCertificatePath = pair.certificate
            $0.tlsKeyPath = pair.key
        }) { test in
            await #expect(throws: (any Error).self) { _ = try await test.get("/health") }
        }
    }
}

import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// A server certificate chain and private key read from PEM files, ready to serve TLS.
///
/// `connectionSetup` goes into `HTTPServerConfiguration.connectionSetup`. `reload()` reads both
/// files again and, when they load, swaps the TLS context that new connections use; connections
/// already open keep the one they started with, so nothing is dropped. ALPN offers `http/1.1`.
public final class TLSCertificateFiles: Sendable {
    /// The PEM file with the certificate chain, leaf first.
    public let certificatePath: String
    /// The PEM file with the private key (not encrypted).
    public let privateKeyPath: String

    private let context: NIOLockedValueBox<NIOSSLContext>

    /// Reads the certificate chain and key.
    ///
    /// - Throws: `TLSCertificateError` when a file cannot be read or holds no usable PEM.
    public init(certificatePath: String, privateKeyPath: String) throws(TLSCertificateError) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.context = NIOLockedValueBox(try Self.makeContext(certificatePath: certificatePath, privateKeyPath: privateKeyPath))
    }

    /// Reads both files again; on success new connections use them, on failure nothing changes.
    ///
    /// - Throws: `TLSCertificateError` when the files no longer load (the old ones stay in use).
    public func reload() throws(TLSCertificateError) {
        let fresh = try Self.makeContext(certificatePath: certificatePath, privateKeyPath: privateKeyPath)
        context.withLockedValue { $0 = fresh }
    }

    /// The setup that serves TLS with the current certificate on each new connection.
    public var connectionSetup: HTTPConnectionSetup {
        HTTPConnectionSetup(isEncrypted: true) { [context] channel in
            let current = context.withLockedValue { $0 }
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: current))
        }
    }

    private static func makeContext(certificatePath: String, privateKeyPath: String) throws(TLSCertificateError)
        -> NIOSSLContext
    {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw TLSCertificateError(file: certificatePath, reason: "no PEM certificate could be read (\(error))")
        }
        guard !chain.isEmpty else { throw TLSCertificateError(file: certificatePath, reason: "the file holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw TLSCertificateError(file: privateKeyPath, reason: "no PEM private key could be read (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSCertificateError(file: certificatePath, reason: "the certificate and key do not make a TLS context (\(error))")
        }
    }
}

/// A TLS certificate or key file could not be used.
public struct TLSCertificateError: Error, Sendable, CustomStringConvertible {
    /// The file at fault.
    public let file: String
    /// What was wrong with it.
    public let reason: String

    /// "<file>: <reason>".
    public var description: String { "\(file): \(reason)" }
}

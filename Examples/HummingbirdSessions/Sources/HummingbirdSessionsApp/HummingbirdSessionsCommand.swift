// hummingbird-sessions: the Hummingbird example server sharing sessions with `sesior`.
// Prints `hummingbird-sessions listening on http://HOST:PORT` once bound (port 0 picks a free one)
// and stops gracefully on SIGTERM/SIGINT.
import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdSessions
import Logging

/// The command line of `hummingbird-sessions`.
@main
struct HummingbirdSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hummingbird-sessions",
        abstract: "Hummingbird server sharing express-session compatible sessions with sesior through Redis.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on, 0 picks a free one.")
    var port = 8080

    @Option(name: .customLong("redis"), help: ArgumentHelp("Redis URL redis://[user:password@]host:port/db, the one sesior uses.", valueName: "URL"))
    var redisURL: String

    @Option(help: "Cookie signing secrets, comma-separated, the first signs; the same as sesior's --secret.")
    var secret: String

    @Option(help: "Session cookie name.")
    var cookieName = "connect.sid"

    @Option(help: ArgumentHelp("Session cookie lifetime in seconds; without it the cookie lasts the browser session.", valueName: "seconds"))
    var sessionMaxAge: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        let secrets = secret.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !secrets.isEmpty else { throw ValidationError("--secret must hold at least one secret") }
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        var logger = Logger(label: "hummingbird-sessions")
        logger.logLevel = level
        let configuration = SessionsConfiguration(
            host: host, port: port, redisURL: redisURL, secrets: secrets,
            cookieName: cookieName, sessionMaxAge: sessionMaxAge)
        let app = try SessionsApplication.make(configuration: configuration, logger: logger) { channel in
            let port = channel.localAddress?.port ?? 0
            let address = channel.localAddress?.ipAddress ?? "?"
            let line = "hummingbird-sessions listening on http://\(address):\(port)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
    }
}

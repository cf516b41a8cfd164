import Foundation
import SesiorTesting
import Testing

/// Runs a Node.js script with Debian's node modules (`SesiorTesting.NodeScript`), feeding it
/// `input` on stdin and returning its stdout. Missing node is a test failure, never a skip.
enum NodeRunner {
    static let installHint = "apt-get install nodejs node-cookie-signature node-cookie"

    static func run(
        script: String, input: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        do {
            return try await NodeScript.run(["-e", script], input: Data(input.utf8), installHint: installHint)
        } catch let failure as ChildProcessFailure {
            Issue.record(Comment(rawValue: failure.description), sourceLocation: sourceLocation)
            throw failure
        }
    }
}

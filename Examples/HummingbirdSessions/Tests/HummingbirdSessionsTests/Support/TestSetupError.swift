/// A test could not set up what it needs (a missing binary, a server that did not start).
struct TestSetupError: Error, CustomStringConvertible {
    /// What went wrong and how to fix it.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

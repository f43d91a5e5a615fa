import ArgumentParser

// Placeholder until its stage lands.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not built yet)")
    func run() async throws { throw ValidationError("kb: this command is not built yet") }
}

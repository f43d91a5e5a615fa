import ArgumentParser
import Foundation
import KBChunking
import KBEmbedding
import KBPipeline
import KBServe
import Logging

/// `kb serve`: the editors' web app (KBServe) on the project's files.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the editors' web app: review queue, drafts, search, gaps and metrics, with a JSON API.",
        discussion: """
            Binds to loopback (127.0.0.1) by default. There, without --auth, the local user is the editor \
            (named by $KB_EDITOR, else $USER, in the review log) and sees drafts, tickets and internal articles. \
            Any other address refuses to start without --auth FILE: a users file with one `name:bcrypt-hash` \
            per line (make a line with `kb serve --hash-password NAME`, password on standard input); then \
            only signed-in editors see drafts, tickets, reports and internal articles, and everyone else \
            only searches and reads external articles. Sessions are signed cookies (HttpOnly, SameSite=Strict) \
            that end when the app restarts; put a TLS proxy in front on a shared host.
            """)

    @Option(help: "Address to bind (loopback unless --auth is given).")
    var host = "127.0.0.1"

    @Option(help: "TCP port.")
    var port = 8080

    @Option(
        help: ArgumentHelp("Users file: one `name:bcrypt-hash` per line; required off loopback.", valueName: "file"))
    var auth: String?

    @Option(
        name: .customLong("hash-password"),
        help: ArgumentHelp(
            "Print a users-file line for NAME (password read from standard input) and exit.", valueName: "name"))
    var hashPassword: String?

    @OptionGroup var model: ModelOptions

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        if let name = hashPassword {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                printError("kb serve: give the password on standard input")
                throw ExitCode(RunExitCode.usage.rawValue)
            }
            print(EditorAccounts.line(name: name, password: password))
            return
        }
        let env = ProcessInfo.processInfo.environment
        let configuration = ServeConfiguration(
            host: host, port: port, projectRoot: ProjectContext.current.root, articles: Paths.articles,
            index: Paths.index,
            tickets: Paths.tickets, drafts: Paths.drafts, reports: Paths.reports, modelDirectory: model.directory,
            authFile: auth, localEditor: env["KB_EDITOR"] ?? env["USER"] ?? "editor")
        let logger = logging.bootstrap(label: "kb.serve")
        do { try configuration.validate() } catch {
            printError("kb serve: \(error.description)")
            throw ExitCode(RunExitCode.usage.rawValue)
        }
        // One thread per query: concurrent requests are the parallelism. The lone-query lane
        // (a second thread spinning beside each forward pass) and OpenBLAS's own threads both
        // spin-wait, which stalls for a scheduler slice when requests outnumber the cores.
        BLASRuntime.useSingleThreadedBLAS()
        let embedder = try model.embedder(workers: 1)
        let server: KBServer
        do { server = try KBServer(configuration: configuration, embedder: embedder, logger: logger) } catch let error
            as ServeError
        {
            printError("kb serve: \(error.description)")
            throw ExitCode(RunExitCode.badConfiguration.rawValue)
        }
        print(
            "kb serve: open http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (\(auth == nil ? "local editor: \(configuration.localEditor)" : "editors sign in"); Ctrl-C stops)"
        )
        try await server.run()
    }
}

import ArgumentParser
import Foundation
import KBMarkdown

/// `kb parse`: read every article, report problems, optionally print the records.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse the knowledge base's Markdown articles and report problems.",
        discussion:
            "Problems are printed as 'path:line: severity: message' on standard error; a skipped article never stops the run."
    )

    @OptionGroup var kb: KnowledgeBaseOptions

    @Flag(help: "Print one JSON object per article (front matter and typed blocks) on standard output.")
    var json = false

    @Flag(help: "Print only the summary line.")
    var quiet = false

    func run() async throws {
        let scan = try KnowledgeBaseReader().read(root: kb.url)
        if !quiet { scan.diagnostics.forEach { printError($0.description) } }
        if json {
            let encoder = jsonLineEncoder()
            var out = StandardOutput()
            for article in scan.articles { out.write(try encoder.encode(article)) }
            out.flush()
        }
        let warnings = scan.diagnostics.filter { $0.severity == .warning }.count
        printError(
            "parse: \(scan.articles.count) articles read, \(scan.skipped.count) skipped, \(warnings) warnings (\(scan.filesSeen) files in \(kb.directory))"
        )
    }
}

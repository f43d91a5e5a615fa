import ArgumentParser
import Foundation
import KBTickets

/// `kb redact`: the import's redaction, applied to standard input line by line.
struct Redact: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Redact personal data from standard input, line by line (e-mails, phones, cards, IBANs, IPs, secrets, handles, names)."
    )

    @Option(name: .customLong("name"), help: "A person's name to remove as well (repeatable).")
    var names: [String] = []

    func run() async throws {
        let redactor = Redactor(names: names)
        while let line = readLine(strippingNewline: true) {
            print(redactor.redact(line))
        }
    }
}

import ArgumentParser
import KBIndex

/// `--db PATH`: the index database, shared by every command that reads or writes it.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Index database file.", valueName: "path"))
    var db: String = "kb/index.sqlite"
}

/// `--ranking key=value,…`: overrides of the ranking parameters, for experiments.
struct RankingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ranking parameter overrides for experiments (e.g. rrfK=30,fusion=weighted); kb eval retrieval takes several.",
                               valueName: "key=value,…", visibility: .hidden))
    var ranking: [String] = []

    /// The parameters of each `--ranking` (the defaults when none is given).
    func parameters() throws -> [(label: String, parameters: RankingParameters)] {
        if ranking.isEmpty { return [("defaults", RankingParameters())] }
        return try ranking.map { ($0.isEmpty ? "defaults" : $0, try RankingParameters(overrides: $0)) }
    }
}

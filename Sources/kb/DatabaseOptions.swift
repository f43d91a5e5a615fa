import ArgumentParser

/// `--db PATH`: the index database, shared by every command that reads or writes it.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Index database file.", valueName: "path"))
    var db: String = "kb/index.sqlite"
}

/// `--ranking key=value,…`: overrides of the ranking parameters, for experiments.
struct RankingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ranking parameter overrides for experiments (e.g. rrfK=30,fusion=weighted).",
                               valueName: "key=value,…", visibility: .hidden))
    var ranking: String = ""
}

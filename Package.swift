// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SupportKB",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kb", targets: ["kb"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // System C libraries, found through pkg-config (Debian's -dev packages).
        .systemLibrary(
            name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // The same SQLite GRDB links; used directly only for the ticket import's bulk inserts.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),

        // What every stage shares (a content hash, parallel map, work counters, a seeded
        // generator, durations, JSON presets, HTML escaping); depends on nothing.
        .target(name: "KBSupport"),

        // Stages, each depending only on the ones before it (the order docs/ARCHITECTURE.md
        // gives; scripts/check_imports.py checks both against the imports).
        .target(
            name: "KBMarkdown",
            dependencies: ["KBSupport", "CCmarkGFM", .product(name: "Yams", package: "Yams")]),
        .target(name: "KBChunking", dependencies: ["KBMarkdown"]),
        .target(
            name: "KBEmbedding", dependencies: ["KBSupport", "KBMarkdown", "KBChunking", "COpenBLAS"],
            // The model's element-wise kernels are unusably slow unoptimised; optimise this
            // module even in debug builds so `swift test` runs the real model in seconds.
            swiftSettings: [.unsafeFlags(["-O"])]),
        .target(
            name: "KBIndex",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBChunking", "KBEmbedding",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .target(
            name: "KBTickets",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBEmbedding", "CSQLite", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Average-linkage topics with a cut from the data, refined by k-means: used by the
        // draft miner (one problem per group) and the gaps stage (topics).
        .target(name: "KBClustering", dependencies: ["KBSupport", "KBEmbedding"]),
        .target(
            name: "KBDrafts",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBEmbedding", "KBIndex", "KBTickets", "KBClustering",
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(
            name: "KBGaps",
            dependencies: ["KBSupport", "KBMarkdown", "KBEmbedding", "KBIndex", "KBTickets", "KBClustering"]),
        .target(
            name: "KBReports",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBTickets", "KBDrafts", "KBGaps",
                .product(name: "Mustache", package: "swift-mustache"),
            ]),
        .target(
            name: "KBPipeline",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBChunking", "KBEmbedding", "KBIndex", "KBTickets",
                "KBDrafts", "KBGaps", "KBReports", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // MCP tools and resources over the index, tickets, drafts and gaps (read-only).
        .target(
            name: "KBMCP",
            dependencies: [
                "KBEmbedding", "KBIndex", "KBTickets", "KBDrafts", "KBGaps",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The editors' web app: routes, pages and the JSON API over the stages above.
        .target(
            name: "KBServe",
            dependencies: [
                "KBMarkdown", "KBChunking", "KBEmbedding", "KBIndex", "KBTickets", "KBDrafts", "KBPipeline", "KBMCP",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),

        // The executable only wires the stages.
        .executableTarget(
            name: "kb",
            dependencies: [
                "KBSupport", "KBMarkdown", "KBChunking", "KBEmbedding", "KBIndex", "KBTickets",
                "KBDrafts", "KBGaps", "KBReports", "KBPipeline", "KBMCP", "KBServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "KBMarkdownTests", dependencies: ["KBMarkdown"]),
        .testTarget(name: "KBChunkingTests", dependencies: ["KBChunking"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KBEmbeddingTests", dependencies: ["KBEmbedding"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KBIndexTests", dependencies: ["KBIndex"]),
        .testTarget(name: "KBTicketsTests", dependencies: ["KBTickets"]),
        .testTarget(name: "KBDraftsTests", dependencies: ["KBDrafts"]),
        .testTarget(name: "KBGapsTests", dependencies: ["KBGaps", "KBClustering", "KBReports"]),
        .testTarget(name: "KBReportsTests", dependencies: ["KBReports"]),
        .testTarget(
            name: "KBPipelineTests", dependencies: ["KBPipeline", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "KBServeTests",
            dependencies: [
                "KBServe", "KBPipeline", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        // Runs the built `kb` (help screens, exit codes, the project, an editor's session).
        .testTarget(name: "kbCLITests", dependencies: ["KBPipeline"]),
        // Runs the official Python MCP client against the built `kb mcp` (tests/mcp_client_test.py).
        .testTarget(name: "kbMCPTests"),
    ]
)

import Foundation
import KBEmbedding

/// Lab hook (issue 15 research, bench/peers/answered_lab2.py): with `kb eval gaps --queries …
/// --dump-features DIR`, the drop-half evaluation writes each seed's pseudo-questions and test
/// queries with every candidate's features and query-level cosine statistics as JSON lines.
public enum AnswerLab {
    /// Mean and std of the query's cosine over the chunks `options` allows, and its 99th percentile.
    static func cosineStats(_ searcher: Searcher, vector: [Float], mask: [Bool]) -> [Double] {
        let d = searcher.dimension
        var values: [Double] = []
        values.reserveCapacity(searcher.chunks.count)
        searcher.matrix.withUnsafeBufferPointer { m in
            for i in 0..<searcher.chunks.count where mask[i] {
                var s: Float = 0
                for k in 0..<d { s += m[i * d + k] * vector[k] }
                values.append(Double(s))
            }
        }
        let n = Double(max(values.count, 1))
        let mean = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let sorted = values.sorted()
        return [mean, sd, sorted.isEmpty ? 0 : sorted[Int(Double(sorted.count - 1) * 0.99)]]
    }

    static func line(
        kind: String, seed: UInt64, positive: Bool, text: String, features: [[Double]], source: [Bool], stats: [Double],
        hits: [SearchHit], article: String? = nil
    ) -> String {
        let obj: [String: Any] = [
            "kind": kind, "seed": seed, "positive": positive, "words": text.split(separator: " ").count,
            "f": features, "src": source, "stats": stats, "text": text,
            "paths": hits.prefix(features.count).map(\.articlePath),
            "article": article ?? "",
        ]
        // Only strings, numbers, booleans and arrays of them: always valid JSON.
        let data = (try? JSONSerialization.data(withJSONObject: obj)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `dir`/seed-N.jsonl: the fit's pseudo-questions (present, absent) and the test queries.
    public static func dump(
        to dir: String, searcher: Searcher, embedder: any TextEmbedder, audience: Audience, excluded: Set<String>,
        queries: [String], articles: [String], vectors: [[Float]], positive: [Bool], seed: UInt64
    ) throws {
        var options = SearchOptions(mode: .hybrid, top: AnswerCalibration.depth, audience: audience)
        options.excludedArticles = excluded
        let mask = searcher.allowedMask(options)
        var out: [String] = []
        var eligible = Set<Int>()
        for i in searcher.chunks.indices where mask[i] { eligible.insert(searcher.chunks[i].article) }
        let questions = AnswerCalibration.pseudoQuestions(searcher: searcher, articles: eligible)
        let qv = try embedder.embed(questions.map(\.text))
        let present = try searcher.searchBatch(
            questions.map(\.text), vectors: qv, options: options,
            exclusions: questions.map { SearchExclusion(chunk: $0.chunk) }, judge: false)
        let absent = try searcher.searchBatch(
            questions.map(\.text), vectors: qv, options: options,
            exclusions: questions.map { SearchExclusion(articles: [$0.article]) }, judge: false)
        for (i, q) in questions.enumerated() {
            let stats = cosineStats(searcher, vector: qv[i], mask: mask)
            let source = searcher.articles[q.article].path
            for (kind, hits) in [("present", present[i]), ("absent", absent[i])] {
                let f = AnswerDetector.features(
                    query: q.text, hits: hits, terms: searcher.termWeights, words: searcher.candidateWords)
                out.append(
                    line(
                        kind: kind + (q.chunk == nil ? "-title" : "-sentence"), seed: seed, positive: kind == "present",
                        text: q.text, features: f, source: hits.map { kind == "present" && $0.articlePath == source },
                        stats: stats,
                        hits: hits, article: source))
            }
        }
        let hits = try searcher.searchBatch(queries, vectors: vectors, options: options, exclusions: nil, judge: false)
        for i in queries.indices {
            let f = AnswerDetector.features(
                query: queries[i], hits: hits[i], terms: searcher.termWeights, words: searcher.candidateWords)
            out.append(
                line(
                    kind: "query", seed: seed, positive: positive[i], text: queries[i], features: f,
                    source: hits[i].map { _ in false }, stats: cosineStats(searcher, vector: vectors[i], mask: mask),
                    hits: hits[i],
                    article: articles[i]))
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try (out.joined(separator: "\n") + "\n").write(
            toFile: "\(dir)/seed-\(seed).jsonl", atomically: true, encoding: .utf8)
    }
}

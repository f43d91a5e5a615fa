import Foundation
import GRDB

/// BM25 over the FTS5 index, held in memory: the same scores as FTS5's
/// `bm25(chunk_fts, title, heading, body)` (k1 = 1.2, b = 0.75, IDF floored at 1e-6),
/// about a hundred times faster for long OR queries, where FTS5 evaluates its ranking
/// function row by row over nearly every chunk.
///
/// Terms, documents and positions are read once from the FTS5 index itself (a temporary
/// `fts5vocab` instance table, so any index file works and nothing is written to it), and
/// query words go through the FTS5 tokenizer of the table, so stemming and diacritics
/// folding match the index exactly.
struct KeywordIndex: Sendable {
    struct Posting: Sendable {
        /// Row of the chunk in the corpus.
        var row: Int32
        /// Occurrences of the term in the title, heading path and text columns.
        var title: UInt16
        var heading: UInt16
        var body: UInt16
    }

    /// Stemmed term → the chunks holding it, in row order.
    private(set) var postings: [String: [Posting]] = [:]
    /// Tokens in each chunk (all columns).
    private(set) var length: [Float] = []
    private(set) var averageLength = 1.0
    var rows: Int { length.count }

    init() {}

    /// Reads the FTS5 index of `chunk_fts`; `rowOfChunkID` maps FTS rowids to corpus rows.
    init(_ db: Database, rowOfChunkID: [Int64: Int32], rows: Int) throws {
        length = Array(repeating: 0, count: rows)
        try db.execute(
            sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunk_vocab USING fts5vocab(main, chunk_fts, instance)")
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT term, doc, col = 'title', col = 'heading' FROM temp.chunk_vocab")
        var term = Data()
        var list: [Posting] = []
        var current = Posting(row: -1, title: 0, heading: 0, body: 0)
        var currentDoc: Int64 = -1
        var total = 0.0
        func flushPosting() {
            if current.row >= 0 { list.append(current) }
            current = Posting(row: -1, title: 0, heading: 0, body: 0)
        }
        func flushTerm() {
            flushPosting()
            if !list.isEmpty { postings[String(decoding: term, as: UTF8.self)] = list }
            list = []
            currentDoc = -1
        }
        while let row = try cursor.next() {
            let same = try row.withUnsafeData(atIndex: 0) { ($0 ?? Data()) == term }
            if !same {
                flushTerm()
                term = try row.withUnsafeData(atIndex: 0) { $0 ?? Data() }
            }
            let doc: Int64 = row[1]
            if doc != currentDoc {
                flushPosting()
                currentDoc = doc
                current.row = rowOfChunkID[doc] ?? -1
            }
            guard current.row >= 0 else { continue }
            if row[2] as Bool {
                current.title &+= 1
            } else if row[3] as Bool {
                current.heading &+= 1
            } else {
                current.body &+= 1
            }
            length[Int(current.row)] += 1
            total += 1
        }
        flushTerm()
        averageLength = rows > 0 ? max(total / Double(rows), 1e-9) : 1
    }

    /// The table's tokenizer (porter over unicode61 without diacritics) applied to `text`:
    /// the terms to look up, without repeats; common English words are left out when
    /// `dropStopwords` is set and something else remains.
    static func terms(_ text: String, dropStopwords: Bool, db: Database) throws -> [String] {
        let words = FTSQuery.words(text)
        let kept = dropStopwords ? words.filter { !FTSQuery.stopwords.contains($0) } : words
        let tokenizer = try db.makeTokenizer(Schema.ftsTokenizer)
        var seen = Set<String>()
        var out: [String] = []
        for word in kept.isEmpty ? words : kept {
            for (token, _) in try tokenizer.tokenize(query: word) where seen.insert(token).inserted {
                out.append(token)
            }
        }
        return out
    }

    /// BM25 of the chunks holding at least one term, as FTS5 computes it for the query
    /// `"t1" OR "t2" OR …` with the given column weights: `score[row]` (0 when unmatched)
    /// and the matched rows.
    /// Terms scored per query at most (queries of up to this many distinct terms score
    /// exactly as FTS5 does).
    static let maxTerms = 32

    func scores(
        terms: [String], weights: (title: Double, heading: Double, body: Double)
    ) -> (score: [Double], rows: [Int32]) {
        let k1 = 1.2, b = 0.75
        let n = Double(rows)
        var accumulator = [Double](repeating: 0, count: rows)
        var seen = [Bool](repeating: false, count: rows)
        var touched: [Int32] = []
        // A long text (a whole ticket message) is scored on its `maxTerms` rarest terms: the
        // common ones add little BM25 weight but walk the longest posting lists.
        let kept =
            terms.count <= Self.maxTerms
            ? terms
            : Array(
                terms.sorted { (postings[$0]?.count ?? 0, $0) < (postings[$1]?.count ?? 0, $1) }.prefix(Self.maxTerms))
        for term in kept {
            guard let list = postings[term] else { continue }
            let hits = Double(list.count)
            var idf = log((n - hits + 0.5) / (hits + 0.5))
            if idf <= 0 { idf = 1e-6 }
            for p in list {
                let r = Int(p.row)
                let freq =
                    weights.title * Double(p.title) + weights.heading * Double(p.heading) + weights.body
                    * Double(p.body)
                let norm = k1 * (1 - b + b * Double(length[r]) / averageLength)
                if !seen[r] { seen[r] = true; touched.append(p.row) }
                accumulator[r] += idf * (freq * (k1 + 1)) / (freq + norm)
            }
        }
        return (accumulator, touched)
    }
}

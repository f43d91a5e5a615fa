import Foundation

extension Searcher {
    /// Ranked article hits for `query` whose embedding `vector` the caller already computed
    /// (batch-embedded questions, e.g. `kb gaps`); same ranking as ``search(_:options:)``.
    public func search(_ query: String, vector: [Float], options: SearchOptions = SearchOptions()) throws -> [SearchHit]
    {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let o = judgedOptions(options)
        let depth = max(100, o.top * 20)
        let keyword = o.mode != .semantic ? try keywordChunks(query, o, limit: depth) : []
        let semantic = o.mode != .keyword ? semanticChunks(vector: vector, o, limit: depth) : []
        return judged(
            query, Fusion.hits(keyword: keyword, semantic: semantic, mode: o.mode, searcher: self, options: o), options)
    }
}

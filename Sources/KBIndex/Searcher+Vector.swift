import Foundation

extension Searcher {
    /// Ranked article hits for `query` whose embedding `vector` the caller already computed
    /// (batch-embedded questions, e.g. `kb gaps`); same ranking as ``search(_:options:)``.
    public func search(_ query: String, vector: [Float], options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw IndexError.emptyQuery }
        let depth = max(100, options.top * 20)
        let keyword = options.mode != .semantic ? try keywordChunks(query, options, limit: depth) : []
        let semantic = options.mode != .keyword ? semanticChunks(vector: vector, options, limit: depth) : []
        return Fusion.hits(keyword: keyword, semantic: semantic, mode: options.mode, searcher: self, options: options)
    }
}

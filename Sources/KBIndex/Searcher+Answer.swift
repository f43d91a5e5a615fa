import Foundation

/// The answered test inside search: hybrid hits carry the KB's own verdict (``AnswerDetector``).
extension Searcher {
    /// Candidates the answered test looks at: at least ``AnswerCalibration/depth`` articles
    /// are ranked whatever `top` is, so a verdict does not depend on how many hits are shown.
    func judgedOptions(_ options: SearchOptions) -> SearchOptions {
        guard detector != nil, options.mode == .hybrid else { return options }
        var o = options
        o.top = max(o.top, AnswerCalibration.depth)
        return o
    }

    /// Content words of a hit's title and of its best chunks, from the term cache.
    func candidateWords(_ hit: SearchHit) -> (title: Set<String>, text: Set<String>) {
        guard let article = articleRowOfPath[hit.articlePath] else {
            let title = Set(TermWeights.terms(hit.title))
            return (
                title,
                hit.chunks.reduce(into: title) { $0.formUnion(TermWeights.terms($1.headingPath + " " + $1.text)) }
            )
        }
        let title =
            terms.titleTerms.withLock { $0[article] }
            ?? {
                let t = Set(TermWeights.terms(articles[article].title))
                terms.titleTerms.withLock { $0[article] = t }
                return t
            }()
        var text = title
        for c in hit.chunks {
            guard let row = chunkRowOfArticleIndex[article << 20 | c.index] else { continue }
            let words =
                terms.chunkTerms.withLock { $0[row] }
                ?? {
                    let w = Set(TermWeights.terms(chunks[row].headingPath + " " + chunks[row].text))
                    terms.chunkTerms.withLock { $0[row] = w }
                    return w
                }()
            text.formUnion(words)
        }
        return (title, text)
    }

    /// `hits` with the answered test's verdicts (hybrid mode), cut to `options.top`.
    func judged(_ query: String, _ hits: [SearchHit], _ options: SearchOptions) -> [SearchHit] {
        let top = options.top
        guard let detector, options.mode == .hybrid, !hits.isEmpty else { return Array(hits.prefix(top)) }
        var out = hits
        let p = detector.probabilities(
            query: query, hits: Array(hits.prefix(AnswerCalibration.depth)), terms: termWeights,
            words: candidateWords)
        // A hit's score is its own probability of being the answer; the verdict is the question's
        // (the probability that one of the candidates answers it), carried by every hit.
        let answered = p.reduce(0, +) >= detector.threshold
        for i in p.indices {
            out[i].answerScore = p[i]
            out[i].confident = answered
        }
        return Array(out.prefix(top))
    }
}

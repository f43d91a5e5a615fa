import Foundation

/// The answered-or-not verdict for one question: the KB's own answered test
/// (``AnswerDetector``) over its hybrid search hits.
public struct AnswerScore: Sendable, Codable, Equatable {
    /// Probability that one of the candidate articles answers the question (the sum of the hits'
    /// `answerScore`).
    public var score: Double
    public var answered: Bool
    public var bestArticle: String?
    public var bestTitle: String?

    public init(score: Double, answered: Bool, bestArticle: String?, bestTitle: String?) {
        self.score = score
        self.answered = answered
        self.bestArticle = bestArticle
        self.bestTitle = bestTitle
    }

    /// The verdict carried by judged hits: the candidate most likely to answer, else the first hit.
    public init(hits: [SearchHit]) {
        let best = hits.max { ($0.answerScore ?? -1) < ($1.answerScore ?? -1) } ?? hits.first
        self.init(
            score: hits.compactMap(\.answerScore).reduce(0, +), answered: best?.confident ?? false,
            bestArticle: best?.articlePath,
            bestTitle: best?.title)
    }
}

import Foundation

/// `kb gaps` judged against labelled tickets (ticket id → recurring problem, `null` for a one-off,
/// as in `pipelines/demo/ground-truth.json`): are the covered problems answered, do the gap
/// problems land in topics, one topic each?
public struct GapsTruthScores: Sendable, Codable {
    public struct Problem: Sendable, Codable {
        public var label: String
        /// Some of its tickets cite an article in their resolution: the KB covers it.
        public var covered: Bool
        public var tickets: Int
        public var answered: Int
        public var inTopics: Int
        /// The topic holding most of its tickets, and how many of them it holds.
        public var mainTopic: Int?
        public var inMainTopic: Int
        /// Topics holding at least one of its tickets.
        public var topics: [Int]
    }

    public var gapTickets = 0
    /// Tickets of uncovered problems that land in a topic (not called answered, not outliers).
    public var gapTicketsInTopic = 0
    public var coveredTickets = 0
    public var coveredTicketsAnswered = 0
    public var problems: [Problem] = []
    /// Gap problems whose topic tickets all sit in one topic, and topics mixing two gap problems.
    public var gapProblemsInOneTopic = 0
    public var gapProblems = 0
    public var topicsMixingProblems = 0

    public var gapRecall: Double { gapTickets == 0 ? 0 : Double(gapTicketsInTopic) / Double(gapTickets) }
    public var coveredAnswered: Double {
        coveredTickets == 0 ? 0 : Double(coveredTicketsAnswered) / Double(coveredTickets)
    }

    /// Reads a truth file: a JSON object of ticket id → label or null.
    public static func readTruth(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw QuestionFileError.unreadable(file: path, reason: "no such file or not readable")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw QuestionFileError.unreadable(file: path, reason: "not a JSON object of ticket id → label")
        }
        return object.compactMapValues { $0 as? String }
    }

    public init(questions: [Question], outcomes: [QuestionOutcome], truth: [String: String]) {
        var byLabel: [String: [Int]] = [:]
        for (i, q) in questions.enumerated() {
            guard let id = q.id, let label = truth[id] else { continue }
            byLabel[label, default: []].append(i)
        }
        var topicLabels: [Int: Set<String>] = [:]
        for (label, members) in byLabel.sorted(by: { $0.key < $1.key }) {
            let covered = members.contains { questions[$0].citedArticle != nil }
            var counts: [Int: Int] = [:]
            var answered = 0
            for i in members {
                switch outcomes[i] {
                case .answered: answered += 1
                case .topic(let t, _): counts[t, default: 0] += 1
                case .outlier: break
                }
            }
            let main = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }
            let inTopics = counts.values.reduce(0, +)
            problems.append(
                Problem(
                    label: label, covered: covered, tickets: members.count, answered: answered, inTopics: inTopics,
                    mainTopic: main?.key, inMainTopic: main?.value ?? 0, topics: counts.keys.sorted()))
            if covered {
                coveredTickets += members.count
                coveredTicketsAnswered += answered
            } else {
                gapTickets += members.count
                gapTicketsInTopic += inTopics
                gapProblems += 1
                if counts.count == 1 { gapProblemsInOneTopic += 1 }
                // A topic counts for a problem when it holds at least a fifth of the problem's tickets.
                for (t, n) in counts where n * 5 >= members.count { topicLabels[t, default: []].insert(label) }
            }
        }
        topicsMixingProblems = topicLabels.values.filter { $0.count > 1 }.count
    }
}

import KBChunking
import KBEmbedding
import KBTickets
import XCTest

@testable import KBClustering
@testable import KBGaps

/// Issue 15: topics that match how people ask, and labels a KB manager can act on.
final class TopicsTests: XCTestCase {
    static let embedder: MiniLMEmbedder? = try? MiniLMEmbedder(
        modelDirectory: ModelLocator.directory(searchingUpFrom: #filePath))

    func model() throws -> MiniLMEmbedder {
        try XCTUnwrap(Self.embedder, "the model is missing: run `make setup`")
    }

    /// Six help-desk problems, each asked four ways (two phrasings, two variants of each).
    static let intents: [[String]] = [
        [
            "I forgot my password and can't log in", "How do I reset my password?",
            "The password reset email never arrives", "Locked out of my account, I need to change my password",
        ],
        [
            "How can I export my invoices to a CSV file?", "Export all invoices as a spreadsheet",
            "Download a CSV of my invoices", "Is there a way to export invoice data to Excel?",
        ],
        [
            "Does the app have a dark mode?", "Can I switch the interface to a dark theme?",
            "Dark mode please, the white screen hurts my eyes", "How do I turn on dark mode?",
        ],
        [
            "VAT total on the invoice is off by one cent",
            "Rounding difference in VAT between the invoice and the tax report",
            "Tax report VAT doesn't match the invoice VAT by 0.01", "Why is the VAT amount rounded differently?",
        ],
        [
            "App crashes when I attach a receipt photo", "Android app closes when adding a receipt picture",
            "Crash on uploading a receipt image from my phone",
            "The mobile app crashes every time I take a photo of a receipt",
        ],
        [
            "The invitation link for my accountant has expired",
            "My accountant can't accept the invite, the link expired",
            "How do I resend an expired accountant invitation?", "Invite link for my accountant says expired",
        ],
    ]

    /// Every gold group lies in exactly one topic (no outliers), and no two groups share one.
    func assertOneTopicPerGroup(_ c: Clustering, _ gold: [String], file: StaticString = #filePath, line: UInt = #line) {
        var topicOf: [String: Set<Int>] = [:]
        for (g, t) in zip(gold, c.assignments) { topicOf[g, default: []].insert(t) }
        for (g, topics) in topicOf.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(topics.count, 1, "\(g) is spread over topics \(topics.sorted())", file: file, line: line)
            XCTAssertFalse(topics.contains(-1), "\(g) has outliers", file: file, line: line)
        }
        let firsts = topicOf.values.compactMap(\.first)
        XCTAssertEqual(Set(firsts).count, firsts.count, "two groups share a topic", file: file, line: line)
        XCTAssertEqual(c.topicCount, topicOf.count, file: file, line: line)
    }

    func testFewIntentsAskedSeveralWaysGiveOneTopicEach() throws {
        let texts = Self.intents.flatMap { $0 }
        let gold = Self.intents.indices.flatMap { i in Array(repeating: "intent \(i)", count: Self.intents[i].count) }
        let vectors = try model().embed(texts)
        let c = TopicClusterer(options: .gapTopics).cluster(vectors)
        assertOneTopicPerGroup(c, gold)
        // The background is measured between topics, so it sits below the all-pairs one, which
        // left a whole problem (four dark-mode questions) as outliers.
        let old = TopicClusterer().cluster(vectors)
        XCTAssertLessThan(c.similarityThreshold, old.similarityThreshold)
        XCTAssertGreaterThan(old.outlierShare, 0)
        let labels = TopicLabeler().labels(texts: texts, assignments: c.assignments, topicCount: c.topicCount)
        let darkMode = c.assignments[8]
        XCTAssertTrue(labels[darkMode].keyPhrases.contains("dark mode"), "\(labels[darkMode])")
    }

    /// The demo's 147 tickets of the eight problems the help center does not cover
    /// (`pipelines/demo/ground-truth.json`): each planted problem is one topic.
    func testEachPlantedDemoProblemIsOneTopic() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let truthData = try Data(contentsOf: root.appendingPathComponent("pipelines/demo/ground-truth.json"))
        let truth = try XCTUnwrap(JSONSerialization.jsonObject(with: truthData) as? [String: Any])
        let gaps: Set<String> = [
            "pdf-currency-symbol-locale", "bank-feed-duplicates-reconnect", "android15-receipt-crash",
            "webhook-retry-flood", "vat-rounding-difference", "accountant-invite-expired",
            "stripe-payout-fees-missing", "csv-import-ddmmyyyy",
        ]
        let read = try TicketQuestions.read(path: root.appendingPathComponent("pipelines/demo/tickets.jsonl").path)
        let questions = read.questions.filter { q in (q.id.flatMap { truth[$0] as? String }).map(gaps.contains) ?? false
        }
        XCTAssertEqual(questions.count, 147)
        let gold = questions.map { truth[$0.id!] as! String }
        let vectors = try model().embed(questions.map(\.text))
        let c = TopicClusterer(options: .gapTopics).cluster(vectors)
        assertOneTopicPerGroup(c, gold)
        // The old rule (background of all pairs, no refinement) split them.
        XCTAssertGreaterThan(TopicClusterer().cluster(vectors).topicCount, gaps.count)

        // Titles are whole-word phrasings without greetings; key phrases carry no locale codes or numbers.
        let (report, _) = GapsAnalyzer().analyze(
            questions: questions, vectors: vectors,
            answers: Array(repeating: nil, count: questions.count),
            source: "demo", threshold: 0.5)
        XCTAssertEqual(report.topics.count, 8)
        for t in report.topics {
            XCTAssertLessThanOrEqual(t.title.count, TopicTitle.maximumLength, t.title)
            XCTAssertGreaterThanOrEqual(TopicTitle.contentWords(t.title), 2, t.title)
            let first = t.title.lowercased().split(separator: " ").first.map(String.init) ?? ""
            XCTAssertFalse(TopicTitle.greetings.contains(first.trimmingCharacters(in: .punctuationCharacters)), t.title)
            XCTAssertFalse(t.title.hasPrefix("@"), t.title)
            for phrase in t.keyPhrases {
                for word in phrase.split(separator: " ").map(String.init) {
                    XCTAssertFalse(LabelTerms.languageCodes.contains(word), "\(phrase) in \(t.keyPhrases)")
                    XCTAssertFalse(word.allSatisfy(\.isNumber), "\(phrase) in \(t.keyPhrases)")
                    XCTAssertFalse(TextTerms.stopWords.contains(word), "\(phrase) in \(t.keyPhrases)")
                }
            }
        }
    }

    func testKeyPhrasesDropLocaleCodesNumbersAndTypoVariants() {
        var texts: [String] = []
        for i in 0..<12 {
            texts.append("PDF invoice shows the wrong currency symbol after switching locale to en-GB (\(i))")
        }
        texts += [
            "pdf currency symbol wrong, locale en", "Currency symbol on PDF changes with locale nl-NL",
            "wrong currency symbol in pdf since locale nl_NL 2026",
        ]
        for _ in 0..<24 { texts.append("Is there a dark mode in any plans?") }
        texts += ["dakr mode in anny plans?", "dark mode anny plans", "dakr mode please"]
        let assignments = texts.indices.map { $0 < 15 ? 0 : 1 }
        let labels = TopicLabeler().labels(texts: texts, assignments: assignments, topicCount: 2)
        let words = labels.flatMap(\.keyPhrases).flatMap { $0.split(separator: " ").map(String.init) }
        for bad in ["en", "gb", "nl", "dakr", "anny", "2026", "0", "1"] {
            XCTAssertFalse(words.contains(bad), "\(bad) in \(labels)")
        }
        XCTAssertTrue(labels[0].keyPhrases.contains("currency symbol"), "\(labels[0])")
        XCTAssertTrue(labels[1].keyPhrases.contains("dark mode"), "\(labels[1])")
        XCTAssertEqual(TopicLabeler.terms("Locale en-gb, nl-NL and pt_BR: 15th of 2024"), ["locale"])
    }

    func testTypoCorrectionsNeedAFarMoreFrequentNeighbour() {
        let counts = ["dark": 40, "dakr": 2, "any": 300, "anny": 3, "from": 500, "form": 20, "feed": 30, "fees": 25]
        let fixes = LabelTerms.corrections(counts: counts)
        XCTAssertEqual(fixes["dakr"], "dark")
        XCTAssertEqual(fixes["anny"], "any")
        XCTAssertNil(fixes["form"], "a swap is not a misspelling of a stop word")
        XCTAssertNil(fixes["fees"], "two common words are both real")
        // A doubled letter is a slip even in a small set, where no count ratio can tell.
        XCTAssertEqual(LabelTerms.corrections(counts: ["any": 2, "anny": 2, "plans": 4])["anny"], "any")
        XCTAssertEqual(LabelTerms.corrections(counts: ["endpoint": 2, "endpiont": 1])["endpiont"], "endpoint")
    }

    func testTitlesAreWholeWordPhrasingsWithoutGreetings() {
        XCTAssertEqual(
            TopicTitle.phrase("Hi team,\nThe app crashes when I attach a receipt photo on Android 15. Please help"),
            "The app crashes when I attach a receipt photo on Android 15")
        XCTAssertEqual(
            TopicTitle.phrase("@LedgerlyHelp hello! Invite link for my accountant says expired"),
            "Invite link for my accountant says expired")
        XCTAssertEqual(TopicTitle.phrase("Good morning - where is my card?"), "Where is my card?")
        // A line break inside the message does not end the sentence; invoice numbers go.
        XCTAssertEqual(
            TopicTitle.phrase("Help\nSince the update the app crashes on the\nreceipt screen. Any idea?"),
            "Since the update the app crashes on the receipt screen")
        XCTAssertEqual(
            TopicTitle.phrase("Invoice INV-2026-0746 PDF says $ instead of €"), "Invoice PDF says $ instead of €")
        XCTAssertEqual(
            TopicTitle.phrase(
                "urgent: retries are flooding our endpoint after it...\nURGENT: retries are flooding our endpoint after it returned 500s. We see the same ids."
            ),
            "Retries are flooding our endpoint after it returned 500s")
        let long = TopicTitle.phrase(
            "Hello Ana, the PDF invoice shows the wrong currency symbol after I switched the locale to en-GB and back again"
        )
        XCTAssertLessThanOrEqual(long.count, TopicTitle.maximumLength)
        XCTAssertTrue(long.hasPrefix("The PDF invoice shows the wrong currency symbol"), long)
        XCTAssertFalse(long.hasSuffix(" the"), "no trailing stop word: \(long)")
        // A bare subject falls through to the message; the most central usable phrasing wins.
        XCTAssertEqual(
            TopicTitle.title(centralFirst: ["Help!\nhi", "Bank feed shows every transaction twice"]),
            "Bank feed shows every transaction twice")
    }

    func testNearDuplicateTopicsMergeAndDistinctOnesDoNot() {
        let (vectors, groups) = clusterFixture()
        let flat = vectors.flatMap { $0 }
        // Group 0 split in two topics (0 and 1), group 1 is topic 2, the rest outliers.
        let split = groups.enumerated().map { i, g in g == 0 ? (i % 2) : g == 1 ? 2 : -1 }
        let merged = TopicClusterer.mergeTopics(
            assignment: split, vectors: flat, count: vectors.count, dimension: vectors[0].count)
        let halves = Set(groups.indices.filter { groups[$0] == 0 }.map { merged[$0] })
        XCTAssertEqual(halves.count, 1, "the two halves of one group are one topic")
        let other = Set(groups.indices.filter { groups[$0] == 1 }.map { merged[$0] })
        XCTAssertEqual(other.count, 1)
        XCTAssertNotEqual(halves, other, "distinct groups stay apart")
        XCTAssertEqual(merged.filter { $0 < 0 }.count, split.filter { $0 < 0 }.count)
    }

    /// Split and merge: a topic holding two groups is split and the two fragments of another
    /// group are merged, so every group ends as one topic (`TopicSwaps.swift`).
    func testSplitAndMergeSeparatesAChainedTopicAndJoinsFragments() {
        let (vectors, groups) = clusterFixture()
        let flat = vectors.flatMap { $0 }
        // Groups 0 and 1 share topic 0; group 2 is in two fragments (topics 1 and 2); 3–5 are 3–5.
        let start = groups.enumerated().map { i, g in g >= 100 ? -1 : g <= 1 ? 0 : g == 2 ? 1 + i % 2 : g }
        let result = TopicClusterer.splitAndMerge(
            assignment: start, vectors: flat, smoothed: nil, count: vectors.count,
            dimension: vectors[0].count, threshold: 0.5, minSize: 3, splitZ: 2)
        var topicsOf: [Int: Set<Int>] = [:]
        for (g, t) in zip(groups, result) { topicsOf[g, default: []].insert(t) }
        for g in 0..<6 { XCTAssertEqual(topicsOf[g]?.count, 1, "group \(g) in topics \(topicsOf[g] ?? [])") }
        XCTAssertEqual(Set((0..<6).compactMap { topicsOf[$0]?.first }).count, 6, "no two groups share a topic")
        XCTAssertEqual(Array(result.suffix(3)), [-1, -1, -1], "random vectors stay outliers")
        // Nothing to fix: the groups as topics stay as they are.
        let whole = groups.map { $0 >= 100 ? -1 : $0 }
        XCTAssertEqual(
            TopicClusterer.splitAndMerge(
                assignment: whole, vectors: flat, smoothed: nil, count: vectors.count,
                dimension: vectors[0].count, threshold: 0.5, minSize: 3, splitZ: 2), whole)
    }

    func testBackgroundBetweenGroupsExcludesWithinGroupPairs() {
        let (vectors, groups) = clusterFixture()
        let flat = vectors.flatMap { $0 }, dim = vectors[0].count
        let all = TopicClusterer.pairSums(members: Array(vectors.indices), vectors: flat, dimension: dim)
        var sum = 0.0, pairs = 0.0
        for i in vectors.indices {
            for j in (i + 1)..<vectors.count { sum += Double(VectorProducts.dot(vectors[i], vectors[j])); pairs += 1 }
        }
        XCTAssertEqual(all.sum, sum, accuracy: 1e-3)
        XCTAssertEqual(all.pairs, pairs)
        let c = TopicClusterer(options: .gapTopics).cluster(vectors)
        XCTAssertEqual(c.topicCount, 6)
        XCTAssertLessThan(c.backgroundMean + 2 * c.backgroundStd, TopicClusterer().cluster(vectors).similarityThreshold)
        XCTAssertEqual(Array(c.assignments.suffix(3)), [-1, -1, -1], "random vectors stay outliers")
        _ = groups
    }

    func testOldReportsWithoutTitleStillDecode() throws {
        let json = """
            {"id": 0, "label": "bank feed · duplicates", "keyPhrases": ["bank feed"], "volume": 3, "share": 0.1,
             "trend": {"weeks": [], "counts": [], "change": 0}, "examples": [], "draftCommand": "kb drafts"}
            """
        let topic = try JSONDecoder().decode(GapTopic.self, from: Data(json.utf8))
        XCTAssertEqual(topic.title, "bank feed · duplicates")
    }
}

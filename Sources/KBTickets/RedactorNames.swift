/// Names of people in free text that the import does not know (issue 16): found by their
/// context — a self-introduction ("my name is Ryan Smith", "I'm Ana …", "this is …"), a
/// label ("contact: Carmichael Miller", "name: …"), a signature ("Thanks,\nJane Doe") — or
/// by a first name from ``firstNames`` followed by a capitalised surname. Only capitalised
/// words are taken, at most three, so "my name is on the invoice" keeps its words.
extension Redactor {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Replacements for names found by context, in word order.
    static func contextNames(_ b: Bytes, _ words: [Word]) -> [Replacement] {
        var out: [Replacement] = []
        var i = 0
        while i < words.count {
            guard startsCapitalised(b, words[i]), mayStartName(b, words, i), let run = nameRun(b, words, from: i) else {
                i += 1; continue
            }
            guard isName(b, words, run: run) else { i += 1; continue }
            let first = Patterns.core(b, words[i].start, words[i].end)
            let last = Patterns.core(b, words[run.last].start, words[run.last].end)
            out.append(Replacement(start: first.0, end: last.1, kind: .name))
            i = run.last + 1
        }
        return out
    }

    /// A cheap test, on bytes, that one of the rules in ``isName`` can apply at word `i`:
    /// a capitalised word follows, or the word before ends a label (`:`) or a closing (`,`),
    /// or starts like a trigger ("is", "I'm", "am", "ask", "contact", "called", "cc",
    /// "named", "--"). Most words stop here without a string being made.
    @inline(__always)
    static func mayStartName(_ b: Bytes, _ words: [Word], _ i: Int) -> Bool {
        if i + 1 < words.count, words[i + 1].singleSpaceBefore, startsCapitalised(b, words[i + 1]) { return true }
        guard i >= 1 else { return false }
        let p = words[i - 1]
        let last = b[p.end - 1]
        if last == 0x3A || last == 0x2C { return true }
        let (s, e) = Patterns.core(b, p.start, p.end)
        guard e > s, e - s <= 7 else { return false }
        switch b[s] | 0x20 {
        case UInt8(ascii: "i"), UInt8(ascii: "a"), UInt8(ascii: "c"), UInt8(ascii: "n"): return true
        default: return b[s] == 0x2D
        }
    }

    @inline(__always)
    static func startsCapitalised(_ b: Bytes, _ w: Word) -> Bool {
        let (s, e) = Patterns.core(b, w.start, w.end)
        guard e > s else { return false }
        let c = b[s]
        return (c >= 0x41 && c <= 0x5A) || (c >= 0xC3 && c != 0xE2)
    }

    /// Letters (any script), `'` and `-` only, after the surrounding punctuation is off.
    static func isNameWord(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 2 else { return false }
        for k in s..<e {
            let c = b[k]
            if Patterns.isLetter(c) || c == 0x27 || c == 0x2D || (c >= 0x80 && c != 0xE2) { continue }
            return false
        }
        return true
    }

    /// Up to three capitalised name words from `i`, single-spaced, none ending in punctuation
    /// but the last.
    static func nameRun(_ b: Bytes, _ words: [Word], from i: Int) -> (last: Int, count: Int)? {
        var last = -1
        var k = i
        while k < words.count, k < i + 3 {
            let (s, e) = Patterns.core(b, words[k].start, words[k].end)
            guard startsCapitalised(b, words[k]), isNameWord(b, s, e), !isStopWord(b, s, e) else { break }
            if k > i { guard words[k].singleSpaceBefore else { break } }
            last = k
            if e < words[k].end { break }  // punctuation after it ends the name
            k += 1
        }
        return last >= i ? (last, last - i + 1) : nil
    }

    static func isName(_ b: Bytes, _ words: [Word], run: (last: Int, count: Int)) -> Bool {
        let i = run.last - run.count + 1
        let firstWord = Patterns.core(b, words[i].start, words[i].end)
        let first = lower(b, firstWord.0, firstWord.1)
        let known = firstNames.contains(first)
        let p1 = i >= 1 ? coreLower(b, words[i - 1]) : ""
        let p2 = i >= 2 ? coreLower(b, words[i - 2]) : ""
        let p1Raw = i >= 1 ? b[words[i - 1].end - 1] : 0
        // "my name is X", "name: X", "contact: X"
        if p1 == "is" && p2 == "name" { return true }
        if p1Raw == 0x3A, labels.contains(p1) { return true }
        // "I'm X", "I am X", "this is X", "contact X": X must be a known first name.
        if ["i'm", "im", "i’m"].contains(p1) || (p1 == "am" && p2 == "i") || (p1 == "is" && p2 == "this")
            || ["contact", "called", "named", "ask", "cc"].contains(p1)
        {
            return known
        }
        // Signatures: after a closing word ("Thanks,", "Regards,", "--"), a name alone on its
        // line (or a known first name).
        if (closings.contains(p1) && p1Raw == 0x2C) || p1 == "--" {
            return known || endsLine(b, words, run.last)
        }
        // Anywhere: a known first name and a capitalised surname.
        return known && run.count >= 2 && !commonWords.contains(Array(first.utf8))
    }

    /// Whether the text after word `k` is a line break or the end.
    static func endsLine(_ b: Bytes, _ words: [Word], _ k: Int) -> Bool {
        guard k + 1 < words.count else { return true }
        for j in words[k].end..<words[k + 1].start where b[j] == 0x0A { return true }
        return false
    }

    /// ``stopWords`` by bytes: words of up to eight ASCII letters packed into one integer, so
    /// the common case makes no string.
    static func isStopWord(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        if e - s > 8 { return stopWords.contains(lower(b, s, e)) }
        var packed: UInt64 = 0
        for k in s..<e {
            guard b[k] < 0x80 else { return false }
            packed = packed << 8 | UInt64(b[k] >= 0x41 && b[k] <= 0x5A ? b[k] | 0x20 : b[k])
        }
        return packedStopWords.contains(packed)
    }

    static let packedStopWords: Set<UInt64> = Set(
        stopWords.filter { $0.utf8.count <= 8 && $0.utf8.allSatisfy { $0 < 0x80 } }
            .map { $0.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })

    static func coreLower(_ b: Bytes, _ w: Word) -> String {
        let (s, e) = Patterns.core(b, w.start, w.end)
        return lower(b, s, e)
    }

    static func lower(_ b: Bytes, _ s: Int, _ e: Int) -> String {
        guard e > s else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self).lowercased()
    }

    static let labels: Set<String> = [
        "contact", "name", "customer", "from", "attn", "signed", "caller", "requester", "cc",
        "owner", "user", "client", "account holder", "holder", "reporter",
    ]
    static let closings: Set<String> = [
        "thanks", "thank you", "you", "regards", "cheers", "best", "sincerely", "wishes",
        "thx", "care", "yours", "warmly",
    ]
    /// Capitalised words that follow names in product text, never part of a name.
    static let stopWords: Set<String> = [
        "i", "i'm", "i’m", "im", "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "from", "with",
        "my", "our", "your",
        "pro", "plus", "plan", "app", "team", "support", "bank", "card", "account", "mobile", "desktop", "server",
        "cloud", "edition", "street", "station", "airport", "city", "university", "hi", "hello", "dear", "thanks",
        "regards", "please", "error", "invoice", "order", "ticket", "version", "update", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
        "july", "august", "september", "october", "november", "december", "ok", "yes", "no", "not",
    ]

    /// A gazetteer of common first names written for this project (485 names, several
    /// languages, lower-cased; ambiguous words such as "Will", "May", "Grant" left out).
    static let firstNames: Set<String> = [
        "aaron", "abdullah", "abigail", "adam", "aditya", "adrian", "agnieszka", "agnès", "ahmed", "aisha", "akira",
        "alan", "alba", "albert", "alejandro", "aleksandra", "alex", "alexander", "alexandra", "alfred", "ali",
        "alice", "alicia", "alina", "alison", "amanda", "amelia", "amelie", "amir", "amy", "ana", "ananya",
        "anastasia", "anders", "andre", "andrea", "andreas", "andrei", "andrew", "andrzej", "andré", "angela",
        "angelo", "anil", "anita", "anja", "ann", "anna", "anne", "annie", "anthony", "antoine", "antonio", "anya",
        "aoi", "arjun", "arthur", "ashley", "astrid", "audrey", "ava", "ayse", "barbara", "beatriz", "ben",
        "benjamin", "bernard", "beth", "bethany", "betty", "bianca", "birgit", "bjorn", "björn", "boris", "brandon",
        "brenda", "brian", "bruna", "bruno", "bryan", "burak", "caitlin", "camila", "camille", "carl", "carla",
        "carlos", "carmen", "carol", "caroline", "carolyn", "catherine", "cecilia", "charles", "charlotte", "chen",
        "chloe", "chloé", "chris", "christian", "christina", "christine", "christopher", "claire", "clara",
        "claudia", "colin", "connor", "craig", "cristina", "cynthia", "daniel", "daniela", "danielle", "dario",
        "david", "deborah", "deepak", "denis", "dennis", "diana", "diego", "dieter", "dmitri", "dominic", "donald",
        "donna", "doris", "dorothy", "douglas", "dylan", "edward", "elena", "elias", "elif", "elijah", "elizabeth",
        "ella", "ellen", "emilio", "emily", "emma", "emre", "eric", "erik", "erin", "ethan", "eva", "evelyn", "ewa",
        "fatima", "fatma", "fei", "felipe", "felix", "fernando", "finn", "fiona", "florian", "francesca",
        "francesco", "francisco", "franz", "françois", "freya", "gabriel", "gabriela", "gary", "george", "gerald",
        "gianluca", "giovanni", "giulia", "gloria", "gordon", "gregory", "greta", "gunther", "gustavo", "gwen",
        "günther", "hamid", "hannah", "hans", "harold", "harry", "haruto", "hassan", "heather", "heike", "helen",
        "helena", "helene", "henry", "hina", "hiroshi", "horst", "hugo", "hui", "ian", "igor", "ines", "ingrid",
        "ioana", "irene", "isaac", "isabel", "isabella", "ivan", "jack", "jacob", "jacqueline", "jakub", "james",
        "jan", "jane", "janet", "janice", "jason", "javier", "jean", "jeffrey", "jennifer", "jeremy", "jerry",
        "jessica", "jin", "joan", "joanna", "joao", "joe", "joel", "johann", "john", "jonas", "jonathan", "jorge",
        "jose", "joseph", "joshua", "josé", "joão", "juan", "judith", "jules", "julia", "julian", "julie", "julien",
        "jurgen", "justin", "jérôme", "jürgen", "kai", "kamil", "karen", "karim", "karl", "katarzyna", "kate",
        "katherine", "kathleen", "katie", "kavya", "kayla", "keith", "kelly", "kenji", "kenneth", "kevin", "kim",
        "kimberly", "klaus", "krzysztof", "kyle", "larry", "lars", "laura", "lauren", "lea", "leah", "leila", "lena",
        "leo", "leon", "leonardo", "liam", "lin", "linda", "ling", "lisa", "lorenzo", "louis", "lucas", "lucia",
        "lucy", "luis", "luisa", "lukas", "lukasz", "luke", "madison", "maelle", "magdalena", "malgorzata", "manon",
        "manuel", "marc", "marco", "marcus", "marek", "margaret", "maria", "marie", "marina", "mario", "marta",
        "martha", "martin", "mary", "mateo", "mathieu", "matteo", "matthew", "matthias", "maximilian", "małgorzata",
        "megan", "mehmet", "mei", "melissa", "mia", "michael", "michal", "michelle", "miguel", "mihai", "mikhail",
        "mina", "ming", "mohamed", "mohammed", "monica", "monika", "mustafa", "márcio", "nancy", "naomi", "natalia",
        "natalie", "nathan", "neil", "nicholas", "nicolas", "nicole", "niklas", "nikolai", "nils", "nina", "noah",
        "nora", "olaf", "olga", "oliver", "olivia", "omar", "oscar", "pablo", "pamela", "patricia", "patrick",
        "paul", "paula", "paulina", "pawel", "pedro", "peter", "petra", "philip", "pierre", "piotr", "priya",
        "rachel", "rafael", "rahul", "raj", "ralf", "ramon", "raquel", "rebecca", "renée", "reza", "ricardo",
        "richard", "riku", "rita", "robert", "roberto", "rocio", "roger", "rohan", "ronald", "ronan", "rosa", "ruth",
        "ryan", "ryo", "sabine", "sabrina", "sakura", "samantha", "samuel", "sandra", "sanjay", "sara", "sarah",
        "scott", "sean", "sebastian", "sergei", "sergio", "sharon", "shirley", "simon", "sofia", "sophia", "sophie",
        "sota", "stefan", "stephanie", "stephen", "steven", "stéphane", "sunil", "susan", "sven", "sébastien",
        "sérgio", "søren", "tanya", "teresa", "theo", "thiago", "thibault", "thomas", "timothy", "tobias", "tom",
        "tomasz", "tyler", "ursula", "uwe", "valentina", "vanessa", "victor", "victoria", "vikram", "vincent",
        "walter", "wang", "wei", "william", "wojciech", "wolfgang", "xavier", "xin", "yan", "yann", "yasmin",
        "youssef", "yui", "yuki", "yusuf", "yuto", "zachary", "zeynep", "zoe", "zofia", "zoë", "çağla", "élodie",
        "özlem", "łukasz", "şebnem",
    ]
}

#!/usr/bin/env python3
"""Writes Tests/KBChunkingTests/Fixtures/tokenizer-fixture.jsonl: strings written for this
project and the exact ids Hugging Face `tokenizers` gives them with the model's
tokenizer.json (padding and truncation switched off; the file pads to 128).

Run once after `make setup`:  pip install tokenizers && python3 scripts/make_tokenizer_fixture.py
"""
import json
import random
import sys
from pathlib import Path

from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / ".models/all-MiniLM-L6-v2/tokenizer.json"
OUT = ROOT / "Tests/KBChunkingTests/Fixtures/tokenizer-fixture.jsonl"

HAND = [
    "", " ", "\t\n\r ", "Hello, world!", "HELLO World", "café naïve Ångström résumé façade",
    "Crème brûlée costs €12,50 at the café", "São Paulo, Kraków, Zürich, Øresund, İstanbul",
    "中文分词测试", "日本語のテキストです。カタカナとひらがな", "한국어 텍스트 처리", "混合 English 和 中文",
    "emoji 😀 👍🏽 👨‍👩‍👧 🇩🇪 ❤️ ✅", "non\u00a0breaking\u00a0space", "thin\u2009space and\u3000ideographic",
    "zero\u200bwidth\u200djoiner", "soft\u00adhyphen", "control\x07bell\x00nul\x1bescape", "replacement \ufffd char",
    "https://example.com/path?query=1&x=2#frag", "mailto:support@example.com", "user.name+tag@example.co.uk",
    "Get-Mailbox -Identity user@contoso.com | Set-Mailbox -HiddenFromAddressListsEnabled $true",
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\16.0\\Outlook\\AutoDiscover',
    '{"id": 42, "name": "Ledgerly", "tags": ["a", "b"], "ok": true}',
    "SELECT * FROM invoices WHERE total > 100 AND status = 'paid';",
    "curl -X POST https://api.ledgerly.example/v1/invoices -H 'Authorization: Bearer sk_test_abc123'",
    "# comment in a fence\n$ledger = Get-Ledger -Year 2026", "x" * 99, "y" * 100, "z" * 101, "w" * 250,
    "antidisestablishmentarianism supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "v2.14.3 ERR_PAY_402 HTTP 502 INV-2026-0042 $49.00 3.14159 1,000,000 2026-11-22T10:00:00Z",
    "!!!???...---***", "«quotes» „German“ ‘single’ “double” — dash – en", "a/b\\c|d_e~f`g^h",
    "Ελληνικά κείμενα ΣΊΣΥΦΟΣ", "Русский текст ПРОВЕРКА", "العربية نص", "עברית טקסט", "ภาษาไทย ทดสอบ",
    "हिन्दी पाठ", "e\u0301 combining acute, a\u0308 diaeresis, n\u0303 tilde", "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ １２３",
    "∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷ → ⇒ ∀ ∃", "£ ¥ ₹ ₩ ₽ ¢ $ €", "ﬁ ligature ﬂ and Ǆ digraph", "ǅ ǈ ǋ titlecase",
    "Straße STRASSE ß ẞ", "İi Iı dotted", "tab\tseparated\tvalues", "line1\r\nline2\rline3\nline4",
    "\u2028line separator\u2029paragraph", "mixed🙂emoji🙂inside", "don't can't won't it's", "e-mail re-enter",
    "C++ C# F# .NET Node.js", "ÀÉÎÕÜ àéîõü", "Ǻǻ Ǽǽ Ǿǿ", "ｶﾀｶﾅ halfwidth", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
    "\U00020000 \U0002A700 \uF900 cjk extensions", "𠀀𠀁", "a\u0085b", "a\u000bb\u000cc",
]

WORDS = ("invoice payment refund bank feed reconnect duplicate transaction webhook signature retry "
         "customer account password reset two-factor authentication sync mailbox outlook exchange teams "
         "sharepoint calendar license subscription error code failed unable cannot configure settings").split()
ACCENTED = "áàâäãåçéèêëíìîïñóòôöõúùûüýÿœæøßđłńśźżčřšžğışţ"
PUNCT = ".,;:!?()[]{}<>\"'`~@#$%^&*-_=+/\\|"
UNICODE_POOL = [chr(c) for c in list(range(0x00A0, 0x0250)) + list(range(0x0370, 0x0400)) + list(range(0x0400, 0x0460))
                + list(range(0x2000, 0x2070)) + list(range(0x3000, 0x3040)) + list(range(0x4E00, 0x4E40))
                + list(range(0xAC00, 0xAC20)) + list(range(0x1F600, 0x1F620))]


def generated(rng):
    out = []
    for _ in range(80):  # sentences of vocabulary words with case, accents and punctuation
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 14))]
        words = [w.upper() if rng.random() < .1 else w.capitalize() if rng.random() < .2 else w for w in words]
        s = " ".join(words)
        if rng.random() < .5:
            s += rng.choice(PUNCT) * rng.randint(1, 3)
        out.append(s)
    for _ in range(60):  # random accented / unicode soup
        n = rng.randint(5, 40)
        out.append("".join(rng.choice(UNICODE_POOL + list(ACCENTED) + [" "] * 8 + list("abcxyz")) for _ in range(n)))
    for _ in range(40):  # odd whitespace and punctuation runs
        parts = [rng.choice(WORDS) for _ in range(rng.randint(2, 6))]
        seps = [" ", "\t", "\n", "\u00a0", "\u2009", "\u3000", "  ", ",", "...", "—", "/"]
        out.append("".join(p + rng.choice(seps) for p in parts))
    for _ in range(30):  # long words near the 100-character limit
        n = rng.choice([98, 99, 100, 101, 102, 150])
        out.append("".join(rng.choice("abcdefghij") for _ in range(n)) + " tail")
    for _ in range(20):  # long paragraphs (> 256 tokens)
        out.append(" ".join(rng.choice(WORDS + ["é", "😀", "中", "v1.2", "ERR_42"]) for _ in range(rng.randint(260, 400))))
    for _ in range(20):  # numbers, versions, ids
        out.append(" ".join([f"v{rng.randint(0,9)}.{rng.randint(0,99)}.{rng.randint(0,999)}", f"{rng.randint(0,10**9):,}",
                             f"INV-{rng.randint(2020,2030)}-{rng.randint(0,9999):04d}", f"{rng.random()*1000:.2f}"]))
    return out


def main():
    tok = Tokenizer.from_file(str(MODEL))
    tok.no_padding()
    tok.no_truncation()
    rng = random.Random(20261122)
    texts = HAND + generated(rng)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t, "ids": tok.encode(t).ids}, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} strings to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

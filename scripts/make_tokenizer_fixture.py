#!/usr/bin/env python3
"""Writes Tests/KBChunkingTests/Fixtures/tokenizer-fixture.jsonl: strings and the exact ids
Hugging Face `tokenizers` gives for them with the all-MiniLM-L6-v2 tokenizer ([CLS] … [SEP],
no padding, no truncation). The strings are written or generated here (seeded, reproducible).

    pip install tokenizers
    python3 scripts/make_tokenizer_fixture.py [--model .models/all-MiniLM-L6-v2] [--out PATH]
"""
import argparse
import json
import os
import random

from tokenizers import Tokenizer

HAND_WRITTEN = [
    "",
    " ",
    "   \t\n\r\n  ",
    "\u00a0\u2009\u3000",
    "Hello, world!",
    "HELLO World hello",
    "café naïve Ångström résumé façade jalapeño crème brûlée",
    "Café NAÏVE ÅNGSTRÖM RÉSUMÉ",
    "e\u0301 a\u0308 o\u0302\u0323 n\u0303",  # combining marks after base letters
    "\u0301\u0302 leading marks",
    "Ａｂｃ１２３！？ fullwidth ＡＢＣ",
    "中文 日本語 한국어",
    "我爱北京天安门。東京都は日本の首都です。",
    "안녕하세요, 세계! 가힣",
    "ひらがな カタカナ ｶﾀｶﾅ",
    "mixed中文text日本語words",
    "\U00020000\U0002a6d6 \U0002b820 \U0002f800 \uf900\ufa0b",
    "Emoji 😀 😂 👍🏽 ❤️ 🇺🇸 🇯🇵 👨‍👩‍👧‍👦 🏳️‍🌈 🤷‍♀️",
    "😀😀😀",
    "Skin tones: 👋🏻👋🏼👋🏽👋🏾👋🏿",
    "Key cap 1️⃣ #️⃣ and ZWJ \u200d alone",
    "no\u00a0break space and thin\u2009space and ideographic\u3000space",
    "tabs\tand\nnewlines\r\nand\rreturns\x0bvt\x0cff",
    "Line\u2028separator\u2029paragraph \u0085nel \u1680ogham \u202fnarrow \u205fmath",
    "control \x00 nul \x01\x02\x1b[0m escape \x7f del \x1c\x1d\x1e\x1f seps",
    "replacement \ufffd char\ufffd\ufffd",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom \u00adsoft\u00adhyphen",
    "bidi \u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 marks",
    "https://support.microsoft.com/en-us/office/reset-outlook-2e3b1f8c?ui=en-US&rs=en-US#section-2",
    "Visit http://example.com/a_b-c.d~e/%20f?x=1;y=2 or ftp://files.example.org:21/pub/",
    "Mail john.doe+filter@example.co.uk or ADMIN@Contoso.OnMicrosoft.com",
    "Get-Mailbox -Identity \"John Doe\" | Set-Mailbox -ProhibitSendQuota 49GB -WhatIf",
    "$users = Get-ADUser -Filter * -Properties LastLogonDate; $users | Export-Csv C:\\temp\\u.csv -NoTypeInformation",
    '{"name": "Outlook", "version": 16.0, "enabled": true, "tags": ["mail", "calendar"], "x": null}',
    "SELECT TOP (10) u.[DisplayName], COUNT(*) AS n FROM dbo.Users u WHERE u.Id <> 0 GROUP BY u.DisplayName;",
    "HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\\NoAutoUpdate=dword:00000001",
    "C:\\Program Files (x86)\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE /safe /resetnavpane",
    "<div class=\"note\">Use <b>Ctrl+Shift+Esc</b> &amp; then Alt+F4</div>",
    "```powershell\nConnect-ExchangeOnline -UserPrincipalName admin@contoso.com\n```",
    "0 1 12 123 1234 12345 123456 1234567 3.14159 -42 +7 1,000,000 1.5e-10 0x1F 0b1010",
    "Version 16.0.14326.20404 build 2108 KB5005565 CVE-2021-40444 error 0x800CCC0E",
    "!!! ??? ... --- *** ### $$$ %%% ^^^ &&& ((())) [[[]]] {{{}}} <<<>>> ||| ~~~ ``` ''' \"\"\"",
    "a!b@c#d$e%f^g&h*i(j)k_l+m=n-o[p]q{r}s|t\\u;v:w'x\"y,z<.>/?`~",
    "“Smart quotes” ‘single’ «guillemets» „low“ — em dash – en dash … ellipsis • bullet",
    "¿Qué tal? ¡Muy bien! §1 ¶2 †‡ ※ ‰ ′″ ‹›",
    "Ελληνικά: Καλημέρα κόσμε! ΣΊΣΥΦΟΣ ς σ",
    "Русский: Привет, мир! ЁЖИК ёжик Щука",
    "العربية: مرحبا بالعالم! ٠١٢٣٤٥٦٧٨٩ ،؛؟",
    "עברית: שלום עולם! בְּרֵאשִׁית",
    "ภาษาไทย: สวัสดีชาวโลก",
    "हिन्दी: नमस्ते दुनिया! क़ ड़ ॥ ।",
    "Tiếng Việt: Xin chào thế giới, Ở đây có phở.",
    "Türkçe: İstanbul ıIiİ ŞĞÇÖÜ",
    "Deutsch: Straße STRASSE ẞ Grüße Öl Übel Äpfel",
    "Polski: Zażółć gęślą jaźń. Čeština: Příliš žluťoučký kůň.",
    "Math: ∀x∈ℝ, ∃y: x² + y² ≤ 1 ⇒ √(x·y) ≠ ∞ ∑∏∫∂∇ ±×÷ ½ ¾ ⅓ ℵ₀",
    "𝐀𝐁𝐂 𝑎𝑏𝑐 𝔸𝔹ℂ 𝟘𝟙𝟚",
    "Currency: $100 €50 £30 ¥1000 ₹500 ₩1000 ₽200 ₿0.5 ¢ ₫ ₪",
    "™ ® © ℠ ° µ Ω Å K ﬁ ﬂ ﬀ Ǆ ǅ ǆ Ǉ",
    "Outlook 2016 can't connect—\"Disconnected\" status (error 0x8004010F).",
    "[CLS] [SEP] [PAD] [MASK] [UNK] literal special tokens",
    "a[CLS]b[SEP]c [cls] [Cls] [[MASK]] [UNK ] [unused0] [unused1]",
    "##ing ## #hashtag ##tag",
    "unbelievably antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "Supercalifragilisticexpialidocious counterrevolutionaries floccinaucinihilipilification",
    "x" * 100,
    "x" * 101,
    "y" * 99 + " short",
    "é" * 100,
    "é" * 101,
    "ab" * 60,
    "中" * 120,
    "a" * 100 + "!" + "b" * 101,
    "\U0001f970 \U0001fae0 \U0001f9d1\u200d\U0001f4bb newer emoji",
    "\u0378 \u0530 unassigned \U000e0001 tag \U000e0020\U000e007f",
    "\ue000 private \U000f0000 use",
    "Hangul tone \u302e\u302f and Kaithi \U0001109a \U0001d15e\U0001d160 music",
    "e\u0323\u0301 e\u0301\u0323 \u00e8\u0323 reorder marks",
    "Ohm \u2126 Kelvin \u212a Angstrom \u212b Greek question \u037e ano \u0387 varia \u1fef",
    "\u2000en quad\u2001em quad\u2002 spaces",
    "Dear Support,\n\nI can't open my mailbox since this morning. Outlook says \"Cannot start Microsoft Outlook. "
    "Cannot open the Outlook window. The set of folders cannot be opened.\" I tried /safe and /resetnavpane.\n\n"
    "Thanks,\nJosé García",
]

WORDS = (
    "the a to of and in is you your for on that it with can be this are or if as from by not "
    "Outlook Teams Exchange SharePoint OneDrive mailbox calendar meeting admin center tenant license "
    "sign-in password reset sync folder file upload download permission policy retention compliance "
    "connector migration PowerShell cmdlet certificate DNS record MX autodiscover federation guest "
    "channel chat notification troubleshoot error message resolution workaround cause symptoms more "
    "information applies Microsoft 365 Office Windows macOS iOS Android browser cache profile add-in"
).split()

SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2009", "\u3000", "\u202f"]
PUNCT = list(".,;:!?()[]{}<>\"'`~@#$%^&*-_=+/\\|") + ["“", "”", "’", "—", "–", "…", "•", "«", "»", "¿", "¡", "。", "、"]
EXOTIC = [
    "é", "ü", "ñ", "ç", "ø", "å", "ß", "œ", "æ", "Ł", "ğ", "İ", "ı", "ş", "ő", "ā", "ē", "ỳ",
    "中", "文", "日", "本", "語", "한", "국", "어", "ア", "イ", "あ", "い",
    "α", "β", "Ω", "д", "ж", "Я", "ع", "ب", "ש", "ל", "ก", "ข", "क", "ख", "ँ",
    "😀", "👍🏽", "🇫🇷", "👩‍💻", "❤️", "✅", "⚠️", "→", "←", "★", "∑", "≈", "€", "£", "₹",
    "\u0301", "\u0308", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\ufffd", "\x7f", "\u0085",
    "Ａ", "ｂ", "１", "！", "ﬁ", "²", "½", "™", "©",
]


# Scalars whose general category changed after Unicode 8.0 (tokenizers uses 8.0 tables), and
# scalars assigned after 8.0 in categories BERT treats specially (Mn, P*, Cf).
CATEGORY_EDGES = [0x166D, 0x111C9, 0x1734, 0x1171E, 0x1885, 0x1886, 0xA9BD,
                  0x08D4, 0x2E43, 0x2E45, 0x110CD, 0x0890, 0x1ABF, 0x2E52, 0x13430]


def category_edges():
    return [f"a{chr(cp)}b {chr(cp)} X{chr(cp)}" for cp in CATEGORY_EDGES]


def random_text(rng, n_items):
    parts = []
    for _ in range(n_items):
        r = rng.random()
        if r < 0.55:
            w = rng.choice(WORDS)
            style = rng.random()
            w = w.upper() if style < 0.1 else w.capitalize() if style < 0.3 else w
            parts.append(w)
        elif r < 0.7:
            parts.append(rng.choice(PUNCT))
        elif r < 0.85:
            parts.append(rng.choice(EXOTIC))
        elif r < 0.92:
            parts.append(str(rng.randint(0, 10 ** rng.randint(1, 9))))
        else:
            parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 24))))
        parts.append(rng.choice(SPACES) if rng.random() < 0.8 else "")
    return "".join(parts)


def block_samples(rng):
    """One string per sampled code point from many scripts and symbol blocks."""
    ranges = [
        (0x00A0, 0x024F), (0x0250, 0x036F), (0x0370, 0x052F), (0x0590, 0x06FF), (0x0900, 0x0DFF),
        (0x0E00, 0x0FFF), (0x10A0, 0x11FF), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x2070, 0x22FF),
        (0x2300, 0x27BF), (0x2E00, 0x2E7F), (0x3000, 0x30FF), (0x3100, 0x33FF), (0xA000, 0xA4CF),
        (0xA640, 0xABFF), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFB00, 0xFFFD), (0x10000, 0x1D7FF),
        (0x1F000, 0x1FAFF), (0x20000, 0x2FA1F), (0xE0000, 0xE01EF),
    ]
    out = []
    for lo, hi in ranges:
        for _ in range(6):
            cp = rng.randint(lo, hi)
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            out.append(f"x{c}y {c} {c.upper()}{c}Word")
    return out


def paragraphs(rng):
    out = []
    for n in (180, 260, 400, 700):
        sentences = []
        while sum(len(s.split()) for s in sentences) < n:
            k = rng.randint(6, 18)
            s = " ".join(rng.choice(WORDS) for _ in range(k))
            sentences.append(s[0].upper() + s[1:] + rng.choice([".", "!", "?", ":"]))
        out.append(" ".join(sentences))
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(root, ".models", "all-MiniLM-L6-v2"))
    ap.add_argument("--out", default=os.path.join(root, "Tests", "KBChunkingTests", "Fixtures", "tokenizer-fixture.jsonl"))
    args = ap.parse_args()

    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()

    rng = random.Random(20240611)
    texts = list(HAND_WRITTEN)
    texts += category_edges()
    texts += block_samples(rng)
    texts += [random_text(rng, rng.randint(1, 40)) for _ in range(220)]
    texts += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 30))) for _ in range(60)]
    texts += [str(rng.randint(0, 10 ** 12)) + rng.choice(["", ".", ",", "-"]) + str(rng.randint(0, 999)) for _ in range(20)]
    texts += paragraphs(rng)

    seen = set()
    with open(args.out, "w", encoding="utf-8") as f:
        count = 0
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            ids = tok.encode(text).ids
            f.write(json.dumps({"text": text, "ids": ids}, ensure_ascii=True) + "\n")
            count += 1
    print(f"wrote {count} strings to {args.out}")


if __name__ == "__main__":
    main()

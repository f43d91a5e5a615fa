#!/usr/bin/env python3
"""Writes Tests/KBEmbeddingTests/Fixtures/embedding-fixture.jsonl: texts written for this
project, the token ids sentence-transformers feeds the model (after its 256-token cut), the
number of word pieces the cut dropped, and the reference vectors from sentence-transformers
on the same model files (.models/all-MiniLM-L6-v2, CPU, float32). One JSON object a line:
{"text", "ids", "dropped", "vector"} (vector rounded to 8 significant digits).

Run once after `make setup`:  pip install sentence-transformers && python3 scripts/make_embedding_fixture.py
"""
import json
import random
import sys
from pathlib import Path

from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / ".models/all-MiniLM-L6-v2"
OUT = ROOT / "Tests/KBEmbeddingTests/Fixtures/embedding-fixture.jsonl"

QUERIES = [
    "reset my password", "card declined at checkout", "how do I export my invoices to CSV",
    "bank feed shows duplicate transactions", "cancel my subscription", "refund a payment",
    "two factor code not working", "webhook signature verification failed", "change plan",
    "why was I charged twice?", "invoice PDF shows wrong currency", "connect Shopify store",
    "API key permissions", "add a team member", "VAT rounding differs by one cent", "hello",
    "a", "?", "Outlook keeps asking for my password", "Teams meeting audio drops after 10 minutes",
    "Mon compte est bloqué, que faire ?", "¿Cómo cambio mi método de pago?", "Kann ich die Rechnung auf Deutsch erstellen?",
    "请问如何重置密码", "パスワードをリセットする方法", "비밀번호를 재설정하는 방법", "Ошибка при оплате картой",
    "café crème brûlée naïve résumé", "emoji test 😀 👍🏽 ✅", "non\u00a0breaking\u00a0space query",
]

WORDS = ("invoice payment refund bank feed reconnect duplicate transaction webhook signature retry customer account "
         "password reset two-factor authentication sync mailbox outlook exchange teams sharepoint calendar license "
         "subscription error code failed unable cannot configure settings admin center tenant policy user group "
         "permission export import report schedule recurring currency tax rate rounding plan upgrade downgrade "
         "cancel trial receipt attachment mobile android iphone browser cache cookie session token expired link").split()


def paragraph(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    out = []
    for i, w in enumerate(words):
        out.append(w.capitalize() if i == 0 or out[-1].endswith(".") else w)
        if rng.random() < 0.08:
            out[-1] += rng.choice([".", ",", ":", ";"])
    return " ".join(out) + "."


SENTENCES = [
    "Select File > Account Settings > Account Settings, then choose the mailbox and select Repair.",
    "If the add-in is missing, go to https://admin.example.com/settings/integrations and turn it back on.",
    "Run `Get-MailboxStatistics -Identity user@contoso.com | fl TotalItemSize` in Exchange Online PowerShell.",
    "This issue occurs because the sync token expired after 90 days (error 0x80070005).",
    "Note: changes can take up to 24 hours to replicate to every data center.",
    "| Setting | Value |\n| --- | --- |\n| RetryCount | 3 |\n| Timeout (s) | 30 |",
    "To work around this issue, clear the browser cache, sign out of every session, and sign in again.",
    "Resolution: install the latest update (build 16.0.17328.20162 or later) and restart the app.",
    "Bank feeds reconnect automatically; a duplicate transaction appears only when the bank re-sends it.",
    "Webhook deliveries are retried with exponential back-off for up to 72 hours.",
    "Admins can export the audit log as CSV from Reports > Audit > Export.",
    "Ask the user to verify the two-factor code on a second device before resetting it.",
]


def help_chunk(rng, tok, target):
    """A help-center style chunk (heading path, newline, body) of exactly `target` ids
    with [CLS] and [SEP], or longer than the window when target > 256."""
    head = "Outlook Help > Troubleshooting > Method %d\n" % rng.randint(1, 4)
    body = []
    while len(tok(head + " ".join(body))["input_ids"]) < target + 8:
        body.append(rng.choice(SENTENCES))
    text = head + " ".join(body)
    words = text.split(" ")
    while len(tok(" ".join(words))["input_ids"]) > target:
        words.pop()
    return " ".join(words)


def main():
    rng = random.Random(4242)
    texts = list(QUERIES)
    for _ in range(30):  # short generated questions
        texts.append("how do I " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))) + "?")
    for _ in range(25):  # chunk-sized texts with a heading path, 120-240 words (around the 256-token window)
        texts.append("Ledgerly Help > " + rng.choice(WORDS).capitalize() + " > Resolution\n" + paragraph(rng, rng.randint(120, 240)))
    for _ in range(10):  # longer than the window: truncated to 256 tokens like sentence-transformers does
        texts.append(paragraph(rng, rng.randint(300, 500)))
    for _ in range(10):  # mixed scripts and symbols
        texts.append(" ".join(rng.choice(WORDS + ["é", "ü", "中文", "日本", "😀", "€12,50", "v2.14.3", "ERR_PAY_402"])
                              for _ in range(rng.randint(5, 40))))
    model = SentenceTransformer(str(MODEL), device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    tok = model.tokenizer
    for target in (256, 256, 256, 255, 254, 200, 128, 64):  # full-window and near-window help chunks
        texts.append(help_chunk(rng, tok, target))
    for target in (300, 420):  # help chunks over the window
        texts.append(help_chunk(rng, tok, target))
    vectors = model.encode(texts, batch_size=16, convert_to_numpy=True, normalize_embeddings=False)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for t, v in zip(texts, vectors):
            ids = tok(t, truncation=True, max_length=256)["input_ids"]
            full = len(tok(t, truncation=False)["input_ids"])
            f.write(json.dumps({"text": t, "ids": ids, "dropped": full - len(ids),
                                "vector": [float(f"{x:.8g}") for x in v]}, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} texts to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Deliberately broken ticket rows for pipelines/demo/tickets-messy.jsonl.

MESSY lists (defect, expected importer behaviour, raw line). Line numbers in the
README are the 1-based positions in the written file.
"""
import json


def _t(tid, **over):
    base = {
        "source": "demo", "id": tid,
        "customer": {"id": "C-9001", "name": "Nora Hartley", "email": "nora@little-oak.example", "company": "Little Oak Design"},
        "subject": "Invoice email not received", "status": "resolved", "priority": "normal", "channel": "email",
        "category": "Invoices", "tags": ["email"],
        "created_at": "2026-11-02T10:15:00Z", "first_response_at": "2026-11-02T11:02:00Z",
        "resolved_at": "2026-11-02T15:40:00Z", "closed_at": None, "csat": 4, "reopen_count": 0,
        "escalated": False, "resolved_by": "agent",
        "messages": [
            {"role": "customer", "channel": "email", "at": "2026-11-02T10:15:00Z", "author": "Nora Hartley",
             "text": "My customer didn't get invoice INV-2026-0311. Can you check? Nora, 020 7946 0123"},
            {"role": "agent", "channel": "email", "at": "2026-11-02T11:02:00Z", "author": "Sam (Support)",
             "text": "Hi Nora, the email bounced because of a typo in the address. Fixed and resent."},
        ],
        "resolution": {"summary": "Customer email address had a typo; corrected and resent.", "cause": "Typo",
                       "steps": ["Fix address", "Resend"], "article": None},
    }
    for key, value in over.items():
        if value is _DROP:
            base.pop(key, None)
        else:
            base[key] = value
    return json.dumps(base, ensure_ascii=False)


_DROP = object()

MESSY = [
    ("valid row (control)", "imported", _t("T-9001")),
    ("invalid JSON: line truncated mid-object", "skipped, error names the line",
     '{"source": "demo", "id": "T-9002", "subject": "Cannot log in", "status": "open", "created_at": "2026-11-03T08:00:00Z", "messages": [{"role": "customer", "text": "I cant log'),
    ("invalid JSON: single quotes and trailing comma", "skipped, error names the line",
     "{'source': 'demo', 'id': 'T-9003', 'subject': 'Refund', 'status': 'open', 'created_at': '2026-11-03T09:00:00Z',}"),
    ("missing required field id", "skipped, error 'missing id'", _t("T-9004", id=_DROP)),
    ("missing required field created_at", "skipped, error 'missing created_at'", _t("T-9005", created_at=_DROP)),
    ("missing required field status", "skipped, error 'missing status'", _t("T-9006", status=_DROP)),
    ("bad date string: month 13, hour 25", "skipped (or created_at rejected), error names field and line",
     _t("T-9007", created_at="2026-13-45T25:61:00Z")),
    ("bad date string: free text", "skipped, error names field and line", _t("T-9008", created_at="yesterday afternoon")),
    ("negative duration: first_response_at before created_at", "imported; duration flagged/ignored in metrics, warning",
     _t("T-9009", first_response_at="2026-11-02T09:50:00Z")),
    ("unknown status value 'escalated_to_l2'", "skipped or status mapped to unknown, warning", _t("T-9011", status="escalated_to_l2")),
    ("duplicate id T-9012, first version", "imported", _t("T-9012", subject="Bank feed stopped", category="Bank feeds")),
    ("duplicate id T-9012 with changed content (status, subject, csat)", "reported as duplicate; one version wins (last-wins upsert or skip), never two rows",
     _t("T-9012", subject="Bank feed stopped - still broken", status="open", csat=None, resolved_at=None)),
    ("csat 7, priority 'p1', channel 'fax' (out-of-range values)", "imported with those fields nulled, warnings",
     _t("T-9013", csat=7, priority="p1", channel="fax")),
    ("neither subject nor customer message; messages is a string; tags a string", "skipped, error 'no subject or customer message'",
     _t("T-9014", subject=_DROP, messages="see attachment", tags="email;bounce")),
]


def messy_rows():
    lines = [raw for _, _, raw in MESSY]
    lines.insert(8, "")  # a blank line in the middle (should be skipped silently)
    return "\n".join(lines) + "\n"


def messy_table():
    rows, n = [], 0
    for i, (defect, expected, _) in enumerate(MESSY):
        n += 1
        if i == 8:
            rows.append(f"| {n} | blank line | skipped silently |")
            n += 1
        rows.append(f"| {n} | {defect} | {expected} |")
    return rows

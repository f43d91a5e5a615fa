#!/usr/bin/env python3
"""Sanity checks for the demo data (help-center articles and demo tickets).

Usage: python3 scripts/check_demo_data.py            (from the repository root)

Checks every kb/articles/**/*.md file (front matter parses as YAML and has the
expected keys, body has an H1, relative links point at existing files) and every
line of pipelines/demo/tickets.jsonl (valid JSON that follows docs/TICKETS.md).
Prints a summary of what the data set contains and exits non-zero on problems.
Needs PyYAML (`pip install pyyaml`). Not used by `kb` at run time or by tests.
"""
import collections
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "kb" / "articles"
DEMO = ROOT / "pipelines" / "demo"
TICKETS = DEMO / "tickets.jsonl"
MESSY = DEMO / "tickets-messy.jsonl"

STATUSES = {"new", "open", "pending", "on_hold", "resolved", "closed"}
PRIORITIES = {"low", "normal", "high", "urgent"}
CHANNELS = {"email", "chat", "phone", "web", "social", "api"}
ROLES = {"customer", "agent", "bot", "internal_note"}
RESOLVED_BY = {"agent", "bot", "self_service", None}

problems = []


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def parse_ts(value):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.datetime.fromisoformat(value + "T00:00:00+00:00")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})", value):
        raise ValueError(f"not ISO 8601 with zone: {value!r}")
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_articles():
    stats = collections.Counter()
    per_category = collections.Counter()
    internal = []
    for path in sorted(ARTICLES.rglob("*.md")):
        rel = path.relative_to(ARTICLES).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel.startswith("includes/"):
            if text.startswith("---"):
                problem(rel, "include snippet must not have front matter")
            continue
        m = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
        if not m:
            problem(rel, "no YAML front matter")
            continue
        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError as err:
            problem(rel, f"front matter is not YAML: {err}")
            continue
        body = m.group(2)
        for key in ("title", "description", "category", "tags", "updated"):
            if key not in meta:
                problem(rel, f"missing front matter key {key!r}")
        if not isinstance(meta.get("tags"), list):
            problem(rel, "tags is not a list")
        upd = meta.get("updated")
        if isinstance(upd, dt.date):
            if upd.year != 2026:
                problem(rel, f"updated not in 2026: {upd}")
        elif isinstance(upd, str) and re.fullmatch(r"\d{2}/\d{2}/2026", upd):
            stats["us_dates"] += 1
        else:
            problem(rel, f"bad updated value {upd!r}")
        if meta.get("external") is False:
            internal.append(rel)
        if not re.search(r"^# \S", body, re.M):
            problem(rel, "no H1")
        words = len(re.findall(r"\S+", body))
        if words < 40:
            problem(rel, f"body too short ({words} words)")
        per_category[rel.split("/")[0]] += 1
        stats["words_max"] = max(stats["words_max"], words)
        stats["words_min"] = min(stats.get("words_min", 10**9), words)
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", body):
            if target.startswith("http"):
                continue
            if not (path.parent / target).resolve().exists():
                problem(rel, f"broken relative link {target}")
        fences = re.findall(r"^\s*```(\w*)\n(.*?)^\s*```", body, re.S | re.M)
        if any(lang for lang, _ in fences):
            stats["with_code_lang"] += 1
        if any(re.search(r"^\s*#", code, re.M) for _, code in fences):
            stats["hash_lines_in_code"] += 1
        features = {
            "tables": r"^\|.*\|\s*\n\|[-:| ]+\|",
            "alerts": r"^> \[!(NOTE|WARNING|TIP|IMPORTANT|CAUTION)\]",
            "task_lists": r"^\s*- \[[ x]\] ",
            "strikethrough": r"~~[^~]+~~",
            "includes": r"^\[!INCLUDE \[",
            "images": r"^:::image ",
            "autolinks": r"(?<![(<`])https://[^\s)`]+",
            "plain_blockquotes": r"(?:\A|\n\n)> (?!\[!)\S",
        }
        for name, rx in features.items():
            if re.search(rx, body, re.M):
                stats[name] += 1
    print(f"articles: {sum(per_category.values())} in {len(per_category)} folders")
    for cat, n in sorted(per_category.items()):
        print(f"  {cat:18} {n}")
    print(f"internal (external: false): {len(internal)}")
    print("articles containing:", dict(sorted(stats.items())))


def check_tickets(path=TICKETS):
    if not path.exists():
        problem(path.name, "missing")
        return set()
    ids = set()
    statuses = collections.Counter()
    channels = collections.Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not line.strip():
            continue
        try:
            t = json.loads(line)
        except json.JSONDecodeError as err:
            problem(where, f"invalid JSON: {err}")
            continue
        for key in ("source", "id", "status", "created_at"):
            if key not in t or t[key] in (None, ""):
                problem(where, f"missing required {key}")
        msgs = t.get("messages") if isinstance(t.get("messages"), list) else []
        if not t.get("subject") and not any(m.get("role") == "customer" for m in msgs):
            problem(where, "neither subject nor customer message")
        if t.get("id") in ids:
            problem(where, f"duplicate id {t.get('id')}")
        ids.add(t.get("id"))
        if t.get("status") not in STATUSES:
            problem(where, f"bad status {t.get('status')}")
        if t.get("priority") not in PRIORITIES:
            problem(where, f"bad priority {t.get('priority')}")
        if t.get("channel") not in CHANNELS:
            problem(where, f"bad channel {t.get('channel')}")
        if t.get("resolved_by") not in RESOLVED_BY:
            problem(where, f"bad resolved_by {t.get('resolved_by')}")
        if t.get("csat") is not None and t["csat"] not in (1, 2, 3, 4, 5):
            problem(where, f"bad csat {t['csat']}")
        try:
            created = parse_ts(t.get("created_at") or "")
            for key in ("first_response_at", "resolved_at", "closed_at"):
                if t.get(key) is not None and parse_ts(t[key]) < created:
                    problem(where, f"{key} before created_at")
            for m in t.get("messages") if isinstance(t.get("messages"), list) else []:
                parse_ts(m["at"])
                if m.get("role") not in ROLES:
                    problem(where, f"bad message role {m.get('role')}")
        except (ValueError, KeyError) as err:
            problem(where, f"timestamp: {err}")
        if t.get("status") in ("resolved", "closed") and not t.get("resolved_at"):
            problem(where, "resolved/closed without resolved_at")
        res = t.get("resolution")
        if res and res.get("article") and not (ARTICLES / res["article"]).exists():
            problem(where, f"resolution.article {res['article']} does not exist")
        statuses[t.get("status")] += 1
        channels[t.get("channel")] += 1
    print(f"{path.name}: {len(ids)} tickets  statuses: {dict(statuses)}  channels: {dict(channels)}")
    return ids


def check_extras(ids):
    truth = json.loads((DEMO / "ground-truth.json").read_text(encoding="utf-8"))
    if set(truth) != ids:
        problem("ground-truth.json", "ticket ids differ from tickets.jsonl")
    print("ground truth:", dict(collections.Counter(v or "(one-off)" for v in truth.values()).most_common()))
    with open(DEMO / "questions.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for n, row in enumerate(rows, 2):
        if not row["text"].strip():
            problem(f"questions.csv:{n}", "empty text")
        try:
            parse_ts(row["timestamp"])
        except ValueError as err:
            problem(f"questions.csv:{n}", str(err))
    print(f"questions.csv: {len(rows)} rows")


def check_messy():
    """The messy file must break the format: report what the checks find, fail only if it is clean."""
    before = len(problems)
    check_tickets(MESSY)
    found = problems[before:]
    del problems[before:]
    print(f"tickets-messy.jsonl: {len(found)} expected problem(s):")
    for p in found:
        print("  " + p)
    if len(found) < 8:
        problem("tickets-messy.jsonl", f"only {len(found)} problems found, expected at least 8")


def main():
    check_articles()
    ids = check_tickets()
    check_extras(ids)
    check_messy()
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate the SupportKB demo tickets (deterministic, standard library only).

Usage (from the repository root):  python3 scripts/make_demo_tickets.py
       python3 scripts/make_demo_tickets.py --seed 7 --scale 125 --out /tmp/gen
         (a generated set for `kb eval drafts`: another draw of the same recurring problems,
          each group `scale` times larger, one-offs once; writes only tickets.jsonl and
          ground-truth.json into --out)

Writes
  pipelines/demo/tickets.jsonl        ~400 clean tickets in format v1 (docs/TICKETS.md)
  pipelines/demo/tickets-messy.jsonl  a dozen deliberately broken rows
  pipelines/demo/questions.csv        ~150 search-box questions (text,timestamp)
  pipelines/demo/ground-truth.json    ticket id -> recurring-problem label or null
  pipelines/demo/README.md            what is planted where (regenerated, counts included)

Content lives in demo_tickets_groups.py / demo_tickets_covered.py (recurring problems the help
center does not / does answer), demo_tickets_oneoffs.py (one-off tickets, search questions),
demo_tickets_fake.py (fake people and planted personal data), demo_tickets_text.py (slots, typos,
message wrappers), demo_tickets_messy.py (broken rows) and demo_tickets_readme.py (README).
This file only plans conversations and writes the files. The same seed always produces
byte-identical output.
"""
import csv
import datetime as dt
import io
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_tickets_fake as fake  # noqa: E402
from demo_tickets_groups import COVERED, GROUPS  # noqa: E402
from demo_tickets_oneoffs import ONE_OFFS, QUESTIONS  # noqa: E402
from demo_tickets_readme import write_readme  # noqa: E402
from demo_tickets_messy import messy_rows  # noqa: E402
from demo_tickets_text import (EXTRAS, FINAL_GAP, FINAL_OK, GAP_FOLLOWUPS, OK_FOLLOWUPS, PII_WARNINGS,  # noqa: E402
                               REOPEN, pick_subject, slot_values, typoify, wrap_agent, wrap_customer)

SEED = 20261120
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=UTC)          # "export time" of the demo data
START = NOW.replace(hour=0) - dt.timedelta(days=56)           # 8 weeks: 2026-09-25 .. 2026-11-20
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pipelines" / "demo"
HELP_URL = "https://help.ledgerly.example/"

AGENTS = ["Sam (Support)", "Priya (Support)", "Jonas (Support)", "Maya (Support)", "Tomás (Support)", "Grace (Billing)"]
L2 = {"Payments": "Aiko (L2 Payments)", "Integrations": "Ben (L2 Integrations)", "Bank feeds": "Ruth (Bank Ops)",
      "Mobile app": "Dev (Mobile L3)"}
QUEUES = {"Payments": "L2-PAYMENTS", "Integrations": "L3-INTEGRATIONS", "Bank feeds": "BANK-OPS",
          "Mobile app": "MOBILE-L3", "Account & security": "RISK-REVIEW"}
BOT = "Ledgy (bot)"
SOCIAL_AGENT = "Ledgerly Support (@LedgerlyHelp)"
DEFAULT_CHANNELS = {"email": 40, "chat": 25, "web": 17, "phone": 7, "social": 11}
DEFAULT_CSAT = {5: 50, 4: 25, 3: 10, 2: 8, 1: 7}

def wchoice(rng, weights):
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def article_titles():
    titles = {}
    for path in sorted((ROOT / "kb" / "articles").rglob("*.md")):
        m = re.search(r"^title:\s*\"?(.*?)\"?\s*$", path.read_text(encoding="utf-8"), re.M)
        if m:
            titles[path.relative_to(ROOT / "kb" / "articles").as_posix()] = m.group(1)
    return titles


def sample_created(rng, weeks):
    while True:
        week = rng.choices(range(8), weeks)[0]
        day = START + dt.timedelta(days=week * 7 + rng.randrange(7))
        if day.weekday() >= 5 and rng.random() < 0.65:
            continue
        t = day + dt.timedelta(hours=rng.choice(range(6, 22)), minutes=rng.randrange(60))
        if t < NOW - dt.timedelta(minutes=20):
            return t


def delay(rng, channel, kind):
    """Minutes until the first response ('fr') or between later steps ('step')."""
    if kind == "fr":
        spec = {"chat": (4, 0.6, 1, 30), "phone": (2, 0.4, 1, 5), "email": (180, 1.0, 15, 2880),
                "web": (360, 0.9, 30, 3000), "social": (60, 0.8, 8, 720), "api": (240, 1, 15, 2880)}[channel]
    else:
        spec = {"chat": (15, 0.8, 2, 180), "phone": (20, 0.6, 5, 120)}.get(channel, (300, 1.1, 20, 4320))
    median, sigma, lo, hi = spec
    return dt.timedelta(minutes=int(min(hi, max(lo, rng.lognormvariate(0, sigma) * median))))



def plan_ticket(rng, spec, cust, created, titles):
    """Return (ticket dict without id, label) for a group or one-off spec."""
    group = spec.get("label")
    channel = spec.get("channel") or wchoice(rng, spec.get("channels", DEFAULT_CHANNELS))
    slots = slot_values(rng, cust, created)
    rate = {"chat": 0.05, "social": 0.06, "email": 0.015, "web": 0.025, "phone": 0.0}[channel]
    if rng.random() < 0.3:
        rate = 0.0
    covered = spec.get("kind") == COVERED or bool(spec.get("article"))
    article = spec.get("article")
    slots["article_url"] = HELP_URL + (article or "").removesuffix(".md")
    fill = lambda s: s.format_map(slots)  # noqa: E731
    msg_t = rng.choice(spec["messages"])
    if rng.random() < 0.3 and spec["category"] in EXTRAS:
        msg_t += " " + rng.choice(EXTRAS[spec["category"]])
    text = fill(typoify(rng, msg_t, rate))
    if channel == "chat" and rate and rng.random() < 0.4:
        text = text.lower()
    subject = fill(pick_subject(rng, spec["subjects"], msg_t))
    if len(spec["subjects"]) > 1 and rng.random() < 0.35:  # many people just paste their first sentence
        first = re.split(r"(?<=[.!?])\s", text.strip())[0]
        subject = first if len(first) <= 70 else first[:67].rsplit(" ", 1)[0] + "..."
    warn = " ".join(w for key, w in PII_WARNINGS if "{" + key + "}" in msg_t)
    contacts = []
    if "{contact" in msg_t:
        contacts.append({"name": slots["contact"], "email": slots["contact_email"]})
    elif channel in ("email", "web") and rng.random() < 0.12:
        text += f" I'm copying our bookkeeper {slots['contact']} ({slots['contact_email']})."
        contacts.append({"name": slots["contact"], "email": slots["contact_email"]})
    author = cust["handle"] if channel == "social" else cust["name"]
    events = [(created, "customer", author, wrap_customer(rng, text, channel, cust, slots))]
    agent = SOCIAL_AGENT if channel == "social" else rng.choice(AGENTS)
    escalated = rng.random() < spec.get("escalate", 0.05)
    reopen = rng.random() < spec.get("reopen", 0.05)
    mode = "agent"
    if covered and group and channel == "chat" and rng.random() < 0.35:
        mode = "bot"
    elif covered and group and channel in ("web", "email") and rng.random() < 0.15:
        mode = "self_service"
    t = created
    if mode == "bot":
        t += dt.timedelta(minutes=rng.randint(0, 1), seconds=rng.randint(5, 50))
        events.append((t, "bot", BOT, f"I found an article that may help: \"{titles[article]}\" {slots['article_url']} - did that answer your question?"))
        t += dt.timedelta(minutes=rng.randint(2, 12))
        events.append((t, "customer", author, rng.choice(["yes that helped thanks", "Yes, thanks!", "that fixed it", "ok found it, thx"])))
        reopen = escalated = False
    elif mode == "self_service":
        t += dt.timedelta(minutes=rng.randint(10, 360))
        events.append((t, "customer", author, rng.choice([
            f"Never mind - I found your help article \"{titles[article]}\" and it worked. All sorted.",
            "Please ignore, I figured it out with the help center. Thanks!",
            f"Found the answer in the help center ({slots['article_url']}). You can close this."])))
        reopen = escalated = False
    else:
        if channel == "chat" and rng.random() < 0.5:
            events.append((created + dt.timedelta(seconds=rng.randint(2, 20)), "bot", BOT,
                           "Thanks for your message! An agent will be with you shortly."))
        t += delay(rng, channel, "fr")
        replies = spec["replies"] if "replies" in spec else [spec["reply"]]
        if spec.get("bad_first_reply") and rng.random() < 0.5:
            events.append((t, "agent", agent, wrap_agent(rng, spec["bad_first_reply"], cust, channel, agent)))
            t += delay(rng, channel, "step")
            events.append((t, "customer", author, rng.choice([
                "I KNOW how to invite people. The link is EXPIRED and I can't resend it. Did you read my message?",
                "That's not the problem. The invite expired and the system won't let me invite again.",
                "this doesnt help at all"])))
            t += delay(rng, channel, "step")
        events.append((t, "agent", agent, wrap_agent(rng, (fill(rng.choice(replies)) + " " + warn).strip(), cust, channel, agent)))
        if escalated:
            t += dt.timedelta(minutes=rng.randint(3, 90))
            note = fill(rng.choice(spec["notes"])) if spec.get("notes") else "Escalating for a second look."
            queue = QUEUES.get(spec["category"], "L2-GENERAL")
            events.append((t, "internal_note", agent.split(" (")[0], f"Escalated to {queue}. {note}"))
            t += dt.timedelta(hours=rng.randint(20, 200))
            agent = L2.get(spec["category"], agent)
        t += delay(rng, channel, "step")
        events.append((t, "customer", author, rng.choice(GAP_FOLLOWUPS if not covered and group else OK_FOLLOWUPS)))
        if not covered and group or escalated or rng.random() < 0.5:
            t += delay(rng, channel, "step")
            events.append((t, "agent", agent, wrap_agent(rng, rng.choice(FINAL_GAP if not covered and group else FINAL_OK), cust, channel, agent)))
    reopen_count = 0
    if reopen:
        t += dt.timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 600))
        events.append((t, "customer", author, rng.choice(REOPEN)))
        t += delay(rng, channel, "fr")
        events.append((t, "agent", agent, wrap_agent(rng, fill(rng.choice(spec.get("replies", [spec.get("reply", "")]))), cust, channel, agent)))
        reopen_count = 2 if rng.random() < 0.15 else 1
    # Recent tickets are often still in progress: push the rest of the conversation past the export time.
    if len(events) > 1 and NOW - created < dt.timedelta(days=12) and rng.random() < 0.4 or NOW - created < dt.timedelta(hours=8):
        i = 1 if NOW - created < dt.timedelta(hours=8) else rng.randrange(1, len(events))
        shift = dt.timedelta(hours=rng.uniform(36, 300))
        events = events[:i] + [(e[0] + shift,) + tuple(e[1:]) for e in events[i:]]
    resolved_at = events[-1][0]
    responders = {"agent": ("agent",), "bot": ("bot",)}.get(mode, ())
    first_response = next((e[0] for e in events if e[1] in responders and not e[3].startswith("Thanks for your message!")), None)
    # Cut the conversation at the export time and derive the status.
    kept = [e for e in events if e[0] <= NOW]
    status, closed_at = "resolved", None
    if len(kept) < len(events):
        last_role = kept[-1][1]
        resolved_at = None
        if all(e[1] in ("customer", "bot") for e in kept) and mode == "agent":
            status = "new" if NOW - created < dt.timedelta(hours=30) else "open"
            first_response = None
        elif last_role == "internal_note":
            status = "on_hold"
        elif last_role == "agent":
            status = "pending"
        else:
            status = "open"
        if first_response and first_response > NOW:
            first_response = None
    elif NOW - resolved_at > dt.timedelta(days=4) and rng.random() < 0.6:
        status, closed_at = "closed", resolved_at + dt.timedelta(days=rng.choice([3, 4]), minutes=rng.randint(0, 59))
    if not any(e[1] == "customer" and e[3] in REOPEN for e in kept):
        reopen_count = 0
    escalated = escalated and any(e[1] == "internal_note" for e in kept)
    csat = None
    if status in ("resolved", "closed") and rng.random() < (0.65 if mode == "agent" else 0.35):
        weights = dict(spec.get("csat", DEFAULT_CSAT))
        if reopen_count or escalated:
            weights = {k: v * (2 if k <= 3 else 1) for k, v in weights.items()}
        csat = wchoice(rng, weights)
    priority = spec.get("prio") or wchoice(rng, spec.get("priority", {"normal": 6, "low": 2, "high": 2}))
    if cust["vip"] and priority in ("low", "normal"):
        priority = "high"
    resolution = None
    if status in ("resolved", "closed"):
        r = spec["resolution"]
        resolution = {"summary": r["summary"], "cause": r["cause"], "steps": list(r["steps"]), "article": article}
    tags = list(spec["tags"]) + (["escalated"] if escalated else []) + (["vip"] if cust["vip"] else [])
    customer = {"id": cust["id"], "name": cust["name"], "email": cust["email"], "company": cust["company"]}
    if cust["phone"]:
        customer["phone"] = cust["phone"]
    if channel == "social":
        customer["email"] = None if rng.random() < 0.6 else cust["email"]
    ticket = {
        "source": "demo", "id": None, "customer": customer, "contacts": contacts, "subject": subject,
        "status": status, "priority": priority, "channel": channel, "category": spec["category"], "tags": tags,
        "created_at": created, "first_response_at": first_response,
        "resolved_at": resolved_at if status in ("resolved", "closed") else None, "closed_at": closed_at,
        "csat": csat, "reopen_count": reopen_count, "escalated": escalated,
        "resolved_by": (mode if status in ("resolved", "closed") else None),
        "messages": [{"role": role, "channel": channel, "at": at, "author": who, "text": txt} for at, role, who, txt in kept],
        "resolution": resolution,
    }
    return ticket, group


def one_off_spec(entry):
    category, tags, subject, message, reply, summary, cause, steps, article, extra = entry
    return dict(category=category, tags=tags, subjects=[subject], messages=[message], reply=reply,
                resolution=dict(summary=summary, cause=cause, steps=steps), article=article,
                channel=extra.get("channel"), prio=extra.get("priority"), escalate=0.03, reopen=0.03)


def iso(t, offset):
    if t is None:
        return None
    if offset:
        return t.astimezone(dt.timezone(dt.timedelta(hours=offset))).isoformat(timespec="seconds")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def serialize(ticket, offset):
    for key in ("created_at", "first_response_at", "resolved_at", "closed_at"):
        ticket[key] = iso(ticket[key], offset)
    for m in ticket["messages"]:
        m["at"] = iso(m["at"], offset)
    return json.dumps(ticket, ensure_ascii=False)


def make_questions(rng):
    rows = []
    gweeks = {g["label"]: g["weeks"] for g in GROUPS}
    per_label = {"bank-feed-duplicates-reconnect": 12, "android15-receipt-crash": 10}
    for label, phrasings in QUESTIONS:
        n = 30 if label is None else per_label.get(label, 8 if label in gweeks and dict((g["label"], g["kind"]) for g in GROUPS)[label] == COVERED else 6)
        for i in range(n):
            text = phrasings[i % len(phrasings)] if i < len(phrasings) else rng.choice(phrasings)
            if rng.random() < 0.3:
                text = rng.choice(["how to ", "how do i ", "", "ledgerly ", "why "]) + text
            if rng.random() < 0.25:
                text = typoify(rng, text, 0.3)
            if rng.random() < 0.2:
                text += "?"
            rows.append((text, sample_created(rng, gweeks.get(label, [1] * 8))))
    rows.sort(key=lambda r: r[1])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["text", "timestamp"])
    for text, t in rows:
        w.writerow([text, iso(t, 0)])
    return buf.getvalue(), len(rows)


def main():
    import argparse
    parser = argparse.ArgumentParser(description="Write the demo tickets, or a scaled generated set with --out.")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (default: the demo's)")
    parser.add_argument("--scale", type=int, default=1, help="tickets per recurring problem, times the demo's")
    parser.add_argument("--out", type=Path, default=None, help="folder for a generated set (default: pipelines/demo)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    scale = max(1, args.scale)
    titles = article_titles()
    customers = fake.make_customers(rng, 260 * min(scale, 40))
    cust_weights = [1 / (i + 8) for i in range(len(customers))]
    planned = []
    for spec in GROUPS:
        for _ in range(spec["count"] * scale):
            planned.append((spec, sample_created(rng, spec["weeks"])))
    for entry in ONE_OFFS:
        planned.append((one_off_spec(entry), sample_created(rng, [1] * 8)))
    planned.sort(key=lambda p: p[1])
    tickets = []
    for spec, created in planned:
        cust = rng.choices(customers, cust_weights)[0]
        tickets.append(plan_ticket(rng, spec, cust, created, titles))
    lines, truth = [], {}
    for i, (ticket, label) in enumerate(tickets):
        ticket["id"] = f"T-{1001 + i}" if args.out is None else f"G{args.seed}-{1001 + i}"
        truth[ticket["id"]] = label
        offset = rng.choice([1, 2, -5, 10]) if rng.random() < 0.03 else 0
        lines.append(serialize(ticket, offset))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "tickets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (args.out / "ground-truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} tickets and their ground truth to {args.out}")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tickets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "tickets-messy.jsonl").write_text(messy_rows(), encoding="utf-8")
    (OUT / "ground-truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    questions, nq = make_questions(rng)
    (OUT / "questions.csv").write_text(questions, encoding="utf-8")
    write_readme(OUT, [json.loads(line) for line in lines], truth, nq)
    print(f"wrote {len(lines)} tickets, {nq} questions to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

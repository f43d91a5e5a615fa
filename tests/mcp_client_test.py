#!/usr/bin/env python3
"""`kb mcp` through the official Python MCP SDK, as an assistant would use it.

Writes a small project (kb.yml, articles with an internal one and an include, resolved
tickets with a customer), builds it with the real `kb run`, then starts `kb mcp` as a
subprocess over stdio, once per audience, and checks every tool and resource:

- search_kb returns the same articles, in the same order, as `kb search --json`;
- get_article returns the Markdown as indexed (the include rendered), by path or kb:// URI;
- an external server leaks nothing internal: not the internal article (searched by its exact
  title, read by path or URI, listed as a resource), no internal tool, no ticket text, no
  customer id, whatever the arguments;
- the internal tools answer (past resolutions with their fixes, redacted; gaps; drafts);
- bad arguments are MCP errors with a clear message, and the server keeps serving.

Usage: mcp_client_test.py --kb PATH/TO/kb [--model DIR] [--keep]
Exits 1 if any check fails; ends with the line "N passed, N failed".
"""
import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

INTERNAL_TITLE = "Refund approval limits"
INTERNAL_PATH = "internal/refund-limits.md"
INTERNAL_SECRET = "Agents may refund up to 500 EUR without approval"
CUSTOMER_EMAIL = "jo.tester@example.com"
RECURRING = [
    ("T-101", "CSV import swaps day and month", "I imported invoices from a CSV and every date has day and month swapped, 03/04 became April 3."),
    ("T-102", "Dates swapped after CSV import", "After importing my CSV file all the invoice dates show the month and day swapped around."),
    ("T-103", "CSV import mixes up day and month", "The CSV import reads 05/06/2026 as May 6 instead of 5 June, day and month are swapped."),
    ("T-104", "Imported CSV dates have day and month reversed", "Importing a CSV of invoices reversed day and month in every date."),
    ("T-105", "CSV upload swaps day/month in dates", "When I upload invoices by CSV the dates come in with the day and month swapped."),
]
OTHERS = [
    ("T-201", "Card declined at checkout", "My customer's card was declined with error ERR_PAY_402."),
    ("T-202", "Lost phone, cannot sign in", "I lost my phone and cannot get the two-factor code."),
    ("T-203", "How do I add a user", "How can I invite my colleague to the account?"),
    ("T-204", "Change company logo", "Where do I upload a new logo for invoices?"),
    ("T-205", "Cancel subscription", "I want to cancel my plan at the end of the month."),
]
QUERIES = ["my customer's card was declined", "lost my phone two-factor", "invite a colleague", "refund approval limit",
           "how do I change the logo on invoices"]


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def article(root, path, title, category, body, external=True):
    write(root, "kb/articles/" + path,
          f"---\ntitle: {title}\ncategory: {category}\nexternal: {str(external).lower()}\n---\n# {title}\n\n{body}\n")


def ticket(t, day, cause, steps):
    return json.dumps({
        "source": "demo", "id": t[0], "subject": t[1], "status": "resolved", "priority": "normal", "channel": "email",
        "category": "Invoices", "created_at": f"2026-11-{day}T09:00:00Z", "first_response_at": f"2026-11-{day}T10:00:00Z",
        "resolved_at": f"2026-11-{day}T12:00:00Z", "resolved_by": "agent",
        "customer": {"name": "Jo Tester", "email": CUSTOMER_EMAIL},
        "messages": [{"role": "customer", "text": t[2] + f" Reach me at {CUSTOMER_EMAIL}."},
                     {"role": "agent", "text": "Thanks, we fixed it."}],
        "resolution": {"summary": " ".join(steps), "cause": cause, "steps": steps},
    }, sort_keys=True)


def make_project(root, model):
    write(root, "kb.yml", f"articles: kb/articles\nindex: kb/index.sqlite\ntickets_db: kb/tickets.sqlite\n"
                          f"drafts: kb/drafts\nreports: reports\nmodel: {model}\n")
    article(root, "payments/card-declined.md", "Card payment declined", "Payments",
            "## Resolution\n\nAsk the customer to contact their bank or use another card when checkout fails with ERR_PAY_402."
            "\n\n[!INCLUDE [contact](../includes/contact.md)]")
    article(root, "account/reset-2fa.md", "Reset two-factor authentication", "Account",
            "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again.")
    article(root, "account/invite-users.md", "Invite a user to your account", "Account",
            "## Steps\n\nOpen Settings, then Users, and choose Invite. The colleague gets an e-mail with a link.")
    article(root, "invoices/logo.md", "Change the logo on your invoices", "Invoices",
            "## Steps\n\nOpen Settings, then Branding, and upload a PNG or SVG logo. New invoices use it at once.")
    article(root, INTERNAL_PATH, INTERNAL_TITLE, "Internal", INTERNAL_SECRET + ". Above that, ask a team lead.", external=False)
    write(root, "kb/articles/includes/contact.md", "Still stuck? Write to the support team from the Help menu.\n")
    lines = [ticket(t, 10 + i, "The CSV importer reads dates as MM/DD when the file uses DD/MM.",
                    ["Open Import settings.", "Set the date format to DD/MM/YYYY.", "Import the file again."])
             for i, t in enumerate(RECURRING)]
    lines += [ticket(t, 12 + i, None, ["Answered the question."]) for i, t in enumerate(OTHERS)]
    write(root, "pipelines/tickets.jsonl", "\n".join(lines) + "\n")
    write(root, "pipelines/nightly.yml", "name: mcp-test\nversion: 1\n"
          "stages: [parse, chunk, embed, index, import_tickets, drafts, gaps, review_queue, reports]\n"
          "tickets:\n  - path: pipelines/tickets.jsonl\n    format: jsonl\n"
          "report:\n  window: 30d\n  as_of: 2026-11-30\nthresholds:\n  min_tickets: 3\n")


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, ok, name, detail=""):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}"[:2000])


def result_json(res):
    """A tool result's JSON: the structured content, else the text content."""
    if getattr(res, "structuredContent", None) is not None:
        return res.structuredContent
    if getattr(res, "structured_content", None) is not None:
        return res.structured_content
    return json.loads(res.content[0].text)


async def call_error(session, name, arguments):
    """The MCP error message a call should fail with, or None when it succeeded."""
    try:
        res = await session.call_tool(name, arguments)
    except Exception as e:  # the SDK raises its MCPError (McpError in 1.x) for a JSON-RPC error
        return str(e) or type(e).__name__
    if getattr(res, "isError", False) or getattr(res, "is_error", False):
        return res.content[0].text if res.content else "isError"
    return None


def dump(obj):
    return obj.model_dump_json() if hasattr(obj, "model_dump_json") else json.dumps(obj, default=str)


class Server:
    def __init__(self, kb, root, audience):
        self.params = StdioServerParameters(command=kb, args=["mcp", "--audience", audience, "--log-level", "warning"],
                                            cwd=root, env={**os.environ, "KB_PSEUDONYM_SALT": "mcp-test"})


def cli_search(kb, root, query, audience, top=5):
    out = subprocess.run([kb, "search", "--json", "--top", str(top), "--audience", audience, query], cwd=root,
                         capture_output=True, text=True, check=True, env={**os.environ, "KB_PSEUDONYM_SALT": "mcp-test"})
    doc = json.loads(out.stdout)
    return [h["article_path"] for h in doc["hits"]]


async def external_checks(c, kb, root):
    server = Server(kb, root, "external")
    seen = []  # every response less the caller's own words echoed back, for the leak scan
    async with stdio_client(server.params) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            tools = await s.list_tools()
            names = sorted(t.name for t in tools.tools)
            c.check(names == ["get_article", "search_kb"], "external: lists only search_kb and get_article", names)
            for t in tools.tools:
                schema = t.inputSchema if hasattr(t, "inputSchema") else t.input_schema
                c.check(schema.get("type") == "object" and schema.get("properties") and t.description,
                        f"external: {t.name} has a JSON schema and a description")
            for q in QUERIES:
                res = await s.call_tool("search_kb", {"query": q, "top": 5})
                seen.append(json.dumps(result_json(res)["hits"]))
                got = [h["article_path"] for h in result_json(res)["hits"]]
                want = cli_search(kb, root, q, "external")
                c.check(got == want, f"external: search_kb '{q}' = kb search --json", f"mcp {got} vs cli {want}")
            res = await s.call_tool("search_kb", {"query": "card declined at checkout", "top": 3})
            doc = result_json(res)
            first = doc["hits"][0] if doc["hits"] else {}
            c.check(first.get("article_path") == "payments/card-declined.md" and first.get("chunks")
                    and first["chunks"][0].get("heading_path") and "confident" in first and "answer_score" in first
                    and "answered" in doc, "external: search_kb hit has chunks, heading paths, scores, answered verdict", first)
            res = await s.call_tool("search_kb", {"query": "card", "category": "payments", "top": 5})
            cats = {h["category"] for h in result_json(res)["hits"]}
            c.check(cats == {"Payments"}, "external: search_kb category filter", cats)
            # The internal article by its exact title, its words, every filter an attacker might try.
            for args in ({"query": INTERNAL_TITLE}, {"query": INTERNAL_SECRET, "top": 50},
                         {"query": INTERNAL_TITLE, "category": "Internal"}):
                res = await s.call_tool("search_kb", args)
                seen.append(json.dumps(result_json(res)["hits"]))
                paths = [h["article_path"] for h in result_json(res)["hits"]]
                c.check(INTERNAL_PATH not in paths, f"external: search_kb {args} does not return the internal article", paths)
            res = await s.call_tool("get_article", {"path": "payments/card-declined.md"})
            a = result_json(res)
            c.check(a["title"] == "Card payment declined" and "Write to the support team from the Help menu" in a["markdown"]
                    and "[!INCLUDE" not in a["markdown"], "external: get_article returns the indexed Markdown, include rendered",
                    a.get("markdown", "")[:300])
            res = await s.call_tool("get_article", {"path": "kb://articles/account/reset-2fa.md"})
            c.check("recovery code" in result_json(res)["markdown"], "external: get_article takes a kb:// URI")
            for args in ({"path": INTERNAL_PATH}, {"path": "kb://articles/" + INTERNAL_PATH}, {"path": "../kb.yml"},
                         {"path": "kb/articles/" + INTERNAL_PATH}):
                err = await call_error(s, "get_article", args)
                c.check(err is not None and "no article" in err, f"external: get_article {args} is refused", err)
                # The message echoes the path asked for (a kb:// URI as its path): that is not a leak.
                seen.append((err or "").replace(args["path"], "").replace(INTERNAL_PATH, ""))
            missing = await call_error(s, "get_article", {"path": "nope/missing.md"})
            internal = await call_error(s, "get_article", {"path": INTERNAL_PATH})
            c.check(missing is not None and internal is not None
                    and missing.replace("nope/missing.md", "X") == internal.replace(INTERNAL_PATH, "X"),
                    "external: an internal path is refused exactly like a missing one", (missing, internal))
            for name, args in (("similar_resolutions", {"text": "CSV dates swapped"}),
                               ("similar_resolutions", {"text": "CSV dates swapped", "customer": CUSTOMER_EMAIL}),
                               ("list_gaps", {}), ("draft_status", {}), ("draft_status", {"id": "anything"})):
                err = await call_error(s, name, args)
                c.check(err is not None and "unknown tool" in err, f"external: internal tool {name} is refused", err)
                seen.append(err or "")  # the message names the tools, never echoes the arguments
            resources = await s.list_resources()
            uris = sorted(str(x.uri) for x in resources.resources)
            c.check("kb://articles/payments/card-declined.md" in uris and not any("internal/" in u for u in uris),
                    "external: resources are the external articles only", uris)
            seen.append(dump(resources))
            body = await s.read_resource("kb://articles/payments/card-declined.md")
            c.check("ERR_PAY_402" in body.contents[0].text, "external: an article resource reads as Markdown")
            try:
                leaked = await s.read_resource("kb://articles/" + INTERNAL_PATH)
                seen.append(dump(leaked))
                c.check(False, "external: the internal article's resource is refused", dump(leaked)[:300])
            except Exception as e:
                c.check("no article" in str(e), "external: the internal article's resource is refused", str(e))
                seen.append(str(e).replace(INTERNAL_PATH, ""))
            # Bad arguments: clear MCP errors, and the server goes on serving.
            for args, words in (({}, "missing required argument 'query'"), ({"query": "x", "top": 0}, "between 1 and 50"),
                                ({"query": "x", "top": "many"}, "whole number"), ({"query": 42}, "must be a string"),
                                ({"query": "x", "audience": "internal"}, "unknown argument 'audience'")):
                err = await call_error(s, "search_kb", args)
                c.check(err is not None and words in err, f"external: search_kb {args} is a clear MCP error", err)
            err = await call_error(s, "no_such_tool", {})
            c.check(err is not None and "unknown tool" in err, "external: an unknown tool is an MCP error", err)
            res = await s.call_tool("search_kb", {"query": "invite a colleague"})
            c.check(bool(result_json(res)["hits"]), "external: the server still answers after errors")
            # `kb index` rewrites the index while the server is open (read-only, WAL): the next
            # search sees the new article, without a restart and without an error.
            article(root, "invoices/pdf-export.md", "Export invoices as PDF", "Invoices",
                    "## Steps\n\nOpen Invoices, select the invoices and choose Download as PDF. A zip holds one PDF per invoice.")
            index = subprocess.run([kb, "index"], cwd=root, capture_output=True, text=True,
                                   env={**os.environ, "KB_PSEUDONYM_SALT": "mcp-test"})
            c.check(index.returncode == 0, "external: kb index writes while the server is open", index.stderr[-1000:])
            await asyncio.sleep(1.2)  # the server looks at the index file at most once a second
            res = await s.call_tool("search_kb", {"query": "download invoices as PDF", "top": 3})
            paths = [h["article_path"] for h in result_json(res)["hits"]]
            c.check(paths[:1] == ["invoices/pdf-export.md"], "external: a search after the rewrite finds the new article", paths)
            c.check(INTERNAL_PATH not in paths, "external: still no internal article after the reload", paths)
    text = "\n".join(seen)
    for needle in (INTERNAL_TITLE, INTERNAL_SECRET, INTERNAL_PATH, CUSTOMER_EMAIL, "T-101", "demo:T-"):
        c.check(needle not in text, f"external: nothing returned contains '{needle}'")


async def internal_checks(c, kb, root):
    server = Server(kb, root, "internal")
    async with stdio_client(server.params) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            names = sorted(t.name for t in (await s.list_tools()).tools)
            c.check(names == ["draft_status", "get_article", "list_gaps", "search_kb", "similar_resolutions"],
                    "internal: lists all five tools", names)
            for q in QUERIES:
                res = await s.call_tool("search_kb", {"query": q})
                got = [h["article_path"] for h in result_json(res)["hits"]]
                want = cli_search(kb, root, q, "all")
                c.check(got == want, f"internal: search_kb '{q}' = kb search --json --audience all", f"mcp {got} vs cli {want}")
            res = await s.call_tool("search_kb", {"query": INTERNAL_TITLE, "top": 3})
            c.check(result_json(res)["hits"][0]["article_path"] == INTERNAL_PATH, "internal: finds the internal article")
            res = await s.call_tool("get_article", {"path": INTERNAL_PATH})
            c.check(INTERNAL_SECRET in result_json(res)["markdown"], "internal: get_article reads an internal article")
            res = await s.call_tool("similar_resolutions", {"text": "the dates in my CSV import have day and month swapped", "top": 3})
            doc = result_json(res)
            refs = [m["ticket"] for m in doc["matches"]]
            c.check(len(refs) == 3 and all(r.startswith("demo:T-10") for r in refs) and doc["matches"][0]["steps"]
                    and "DD/MM/YYYY" in " ".join(doc["matches"][0]["steps"]),
                    "internal: similar_resolutions finds the resolved tickets with their fixes", doc)
            c.check(CUSTOMER_EMAIL not in dump(res), "internal: similar_resolutions is redacted (no e-mail)")
            res = await s.call_tool("similar_resolutions", {"text": "CSV dates swapped", "customer": CUSTOMER_EMAIL, "top": 2})
            c.check(len(result_json(res)["matches"]) == 2, "internal: similar_resolutions by customer")
            res = await s.call_tool("similar_resolutions", {"text": "CSV dates swapped", "customer": "someone@else.example"})
            c.check(result_json(res)["matches"] == [], "internal: another customer has no tickets")
            res = await s.call_tool("list_gaps", {"top": 5})
            gaps = result_json(res)
            c.check("topics" in gaps and gaps["questions"] == len(RECURRING) + len(OTHERS),
                    "internal: list_gaps reads the gaps report", gaps)
            res = await s.call_tool("draft_status", {})
            drafts = result_json(res)["drafts"]
            c.check(isinstance(drafts, list) and all("status" in d for d in drafts), "internal: draft_status lists drafts", drafts)
            if drafts:
                res = await s.call_tool("draft_status", {"id": drafts[0]["id"]})
                c.check(result_json(res)["draft"]["id"] == drafts[0]["id"] and result_json(res)["markdown"],
                        "internal: draft_status reads one draft")
            err = await call_error(s, "draft_status", {"id": "../../kb"})
            c.check(err is not None and "no draft" in err, "internal: draft_status refuses a path", err)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", required=True)
    ap.add_argument("--model", default=os.environ.get("KB_MODEL_DIR", ".models/all-MiniLM-L6-v2"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    kb, model = os.path.abspath(args.kb), os.path.abspath(args.model)
    root = tempfile.mkdtemp(prefix="kb-mcp-test-")
    c = Checks()
    try:
        make_project(root, model)
        env = {k: v for k, v in os.environ.items() if k != "KB_PROJECT"}
        env["KB_PSEUDONYM_SALT"] = "mcp-test"
        run = subprocess.run([kb, "run", "pipelines/nightly.yml"], cwd=root, capture_output=True, text=True, env=env)
        c.check(run.returncode == 0, "fixture: kb run builds the project", run.stderr[-2000:])
        os.environ.pop("KB_PROJECT", None)
        for name, checks in (("external", external_checks), ("internal", internal_checks)):
            try:
                await checks(c, kb, root)
            except BaseException as e:  # a crashed server or client session fails the run, it does not stop it
                c.check(False, f"{name}: the session ran to the end", "".join(traceback.format_exception(e))[-3000:])
    finally:
        if args.keep:
            print(f"project kept at {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

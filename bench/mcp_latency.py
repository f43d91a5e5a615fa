#!/usr/bin/env python3
"""Latency of `search_kb` through the Model Context Protocol, and the server's memory.

Starts `kb mcp` (stdio) with the official Python MCP SDK, as an assistant would, warms it up,
then times N search_kb calls one after another, each from the client's request to its parsed
response (JSON-RPC over the pipes, argument checks, query embedding, hybrid search, the
answered test, JSON encoding). Queries cycle through a file of one question per line, a TSV
(first column) or a CSV (text column); default: BANKING77's questions from ../shared/data,
else the demo's questions.csv.
Prints p50, p90, p99, mean and max, and the server's resident memory (VmRSS) and peak
(VmHWM) from /proc after the run.

  .venv-mcp/bin/python bench/mcp_latency.py --kb .build/release/kb --db INDEX [--calls 1000] [--threads 1|2] [--queries FILE]
"""
import argparse
import asyncio
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def load_queries(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".csv"):
            rows = list(csv.DictReader(f))
            column = next((c for c in ("text", "question", "query") if rows and c in rows[0]), None)
            if column is None:
                sys.exit(f"{path}: no text, question or query column")
            return [r[column].strip() for r in rows if r[column].strip()]
        # One query per line; a TSV (query, expected article) gives its first column.
        return [line.split("\t")[0].strip() for line in f if line.split("\t")[0].strip()]


def default_queries():
    for p in (os.path.join(REPO, "..", "shared", "data", "banking77", "train.csv"),
              os.path.join(REPO, "pipelines", "demo", "questions.csv")):
        if os.path.exists(p):
            return p
    sys.exit("no query file found: pass --queries FILE")


def server_pid(command):
    """The pid of the `kb mcp` this process started (a child of ours running `command`)."""
    me = str(os.getpid())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if fields[1] == me and os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(command):
                return int(pid)
        except OSError:
            continue
    return None


def memory(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) / 1024
    return out


def structured(res):
    """The result's structured content (named structuredContent in SDK 1.x, structured_content in 2.x)."""
    for name in ("structured_content", "structuredContent"):
        if getattr(res, name, None) is not None:
            return getattr(res, name)
    return None


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", default=os.path.join(REPO, ".build", "release", "kb"))
    ap.add_argument("--db", help="index file (default: the project's)")
    ap.add_argument("--project", help="project folder (kb.yml) the server runs in")
    ap.add_argument("--audience", default="external")
    ap.add_argument("--threads", type=int, default=1, help="kb mcp --threads (query embedding threads)")
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--queries")
    ap.add_argument("--no-baseline", action="store_true", help="skip the in-process comparison (kb search --queries)")
    args = ap.parse_args()
    queries = load_queries(args.queries or default_queries())
    kb = os.path.abspath(args.kb)
    server_args = ["mcp", "--audience", args.audience, "--threads", str(args.threads), "--log-level", "warning"]
    if args.db:
        server_args += ["--db", os.path.abspath(args.db)]
    params = StdioServerParameters(command=kb, args=server_args, cwd=args.project or REPO)
    started = time.perf_counter()
    async with stdio_client(params) as (r, w):
        async with ClientSession(r, w) as s:
            await s.initialize()
            ready = time.perf_counter() - started
            pid = server_pid(kb)
            for q in queries[:args.warmup]:
                await s.call_tool("search_kb", {"query": q, "top": args.top})
            times, confident, hits = [], 0, 0
            for i in range(args.calls):
                q = queries[(args.warmup + i) % len(queries)]
                t0 = time.perf_counter()
                res = await s.call_tool("search_kb", {"query": q, "top": args.top})
                times.append((time.perf_counter() - t0) * 1000)
                doc = structured(res)
                if doc:
                    hits += len(doc["hits"])
                    confident += bool(doc.get("answered"))
            mem = memory(pid) if pid else {}
    print(f"kb mcp --audience {args.audience} --threads {args.threads}: {args.calls} search_kb calls (top {args.top}) through the protocol, "
          f"{len(queries)} distinct queries from {os.path.basename(args.queries or default_queries())}")
    print(f"  ready (spawn + initialize, index and model loaded): {ready:.2f} s")
    print(f"  latency ms: p50 {pct(times, 50):.2f}  p90 {pct(times, 90):.2f}  p99 {pct(times, 99):.2f}  "
          f"mean {statistics.mean(times):.2f}  max {max(times):.2f}")
    print(f"  {hits / max(1, args.calls):.1f} hits per call, answered {confident}/{args.calls}")
    if mem:
        print(f"  server RSS {mem.get('VmRSS', 0):.0f} MB, peak {mem.get('VmHWM', 0):.0f} MB")
    if not args.no_baseline:
        # The same queries in one `kb search --queries` process (no protocol): its time per
        # query, from two runs (1 query and all) so loading the model and index cancels out.
        used = [queries[(args.warmup + i) % len(queries)] for i in range(args.calls)]
        def batch(qs):
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
                f.write("\n".join(qs) + "\n")
            cmd = [kb, "search", "--queries", f.name, "--top", str(args.top), "--audience", args.audience if args.audience == "external" else "all"]
            if args.db:
                cmd += ["--db", os.path.abspath(args.db)]
            t0 = time.perf_counter()
            env = {**os.environ, "KB_EMBED_WORKERS": str(args.threads)}
            if args.threads == 1:
                env["OPENBLAS_NUM_THREADS"] = "1"
            subprocess.run(cmd, cwd=args.project or REPO, check=True, stdout=subprocess.DEVNULL, env=env)
            os.unlink(f.name)
            return time.perf_counter() - t0
        one, all_ = batch(used[:1]), batch(used)
        print(f"  in-process reference (kb search --queries, same queries, no protocol): "
              f"{(all_ - one) * 1000 / max(1, len(used) - 1):.2f} ms per query (mean)")
    try:
        import cpuinfo  # py-cpuinfo, when installed
        info = cpuinfo.get_cpu_info()
        flags = set(info.get("flags", []))
        isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
        print(f"  machine: {info.get('brand_raw', '?')} ({isa}), {os.cpu_count()} cores")
    except ImportError:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        isa = "AVX-512" if " avx512f" in text else "AVX2" if " avx2" in text else "no AVX2"
        model = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("model name")), "?")
        print(f"  machine: {model} ({isa}), {os.cpu_count()} cores")


if __name__ == "__main__":
    asyncio.run(main())

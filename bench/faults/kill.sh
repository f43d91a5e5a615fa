#!/usr/bin/env bash
# Kills writing commands with SIGKILL at random moments and checks what they leave behind
# (issue 16): every store opens and passes PRAGMA integrity_check, holds either the state
# before the command or after it (never a mix), and no temporary file is left.
#
#   bench/faults/kill.sh [KILLS]        (default 50 per command; KB=path/to/kb to choose the binary)
#
# Commands: `kb tickets import` (JSONL with 20,000 tickets, and the flat CSV form with its
# companion tables) and `kb index` (the demo help center, copied). Needs python3 (sqlite3).
set -uo pipefail
cd "$(dirname "$0")/../.."
KILLS=${1:-50}
KB=${KB:-.build/release/kb}
[ -x "$KB" ] || { echo "kill.sh: $KB not built (swift build -c release --product kb)" >&2; exit 1; }
OUT=bench/out/kill
rm -rf "$OUT"; mkdir -p "$OUT/tmp"
export TMPDIR="$PWD/$OUT/tmp"          # every temporary file the commands make lands here
export KB_PSEUDONYM_SALT=kill-bench

python3 - "$OUT" <<'PY'
import json, os, random, sys
out = sys.argv[1]
random.seed(16)
with open(f"{out}/tickets.jsonl", "w") as f:
    for i in range(20000):
        f.write(json.dumps({"source": "kill", "id": f"K-{i}", "status": "open", "subject": f"Export {i} fails",
            "customer": {"name": "Ana Souza", "email": f"ana{i}@example.com"}, "created_at": "2026-10-01T00:00:00Z",
            "messages": [{"role": "customer", "text": f"Hi, I'm Ana Souza, call +44 20 7946 {i % 10000:04d}. Export {i} fails."}]}) + "\n")
os.makedirs(f"{out}/flat", exist_ok=True)
with open(f"{out}/flat/tickets.csv", "w") as t, open(f"{out}/flat/customers.csv", "w") as c, open(f"{out}/flat/messages.csv", "w") as m:
    t.write("id,customer_id,status,subject,created_at\n"); c.write("customer_id,name,email\n"); m.write("ticket_id,role,text\n")
    for i in range(20000):
        t.write(f"T-{i},C-{i},open,Sync {i},2026-10-01T00:00:00Z\n")
        c.write(f"C-{i},Jane Doe,jane{i}@example.com\n")
        m.write(f'T-{i},customer,"Jane Doe here, sync {i} fails"\n')
PY

check_store() {   # path, table, allowed counts (space-separated)
    python3 - "$1" "$2" "$3" <<'PY'
import sqlite3, sys
path, table, allowed = sys.argv[1], sys.argv[2], set(int(x) for x in sys.argv[3].split())
try:
    db = sqlite3.connect(path)
    ok = db.execute("PRAGMA integrity_check").fetchone()[0]
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # Killed before the schema's transaction committed: an empty database, the state before.
    n = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if table in tables else 0
except Exception as e:
    print(f"corrupt {e}"); sys.exit(0)
print("ok" if ok == "ok" and n in allowed else ("corrupt " + ok if ok != "ok" else f"mixed {n}"))
PY
}

run_kills() {   # name, table, store, full count, command...
    local name=$1 table=$2 store=$3 full=$4; shift 4
    local corrupt=0 mixed=0 temps=0 completed=0 checked=0
    for i in $(seq 1 "$KILLS"); do
        "$@" >/dev/null 2>&1 &
        local pid=$!
        sleep "$(python3 -c "import random; print(random.uniform(0.02, 1.5))")"
        if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; else completed=$((completed + 1)); fi
        wait "$pid" 2>/dev/null
        if [ -f "$store" ]; then
            checked=$((checked + 1))
            case "$(check_store "$store" "$table" "0 $full")" in
                ok) ;;
                mixed*) mixed=$((mixed + 1)) ;;
                *) corrupt=$((corrupt + 1)) ;;
            esac
        fi
        local left; left=$(find "$TMPDIR" -mindepth 1 | wc -l)
        temps=$((temps + left))
        rm -rf "$TMPDIR"/* "$store" "$store"-wal "$store"-shm "$store".lock
    done
    echo "$name: $KILLS kills ($completed finished first, $checked stores existed and were checked): $corrupt corrupt, $mixed mixed, $temps temp files left"
}

run_kills "kb tickets import (JSONL)" ticket "$OUT/t1.sqlite" 20000 "$KB" tickets import --quiet --db "$OUT/t1.sqlite" "$OUT/tickets.jsonl"
run_kills "kb tickets import (flat CSV)" ticket "$OUT/t2.sqlite" 20000 "$KB" tickets import --quiet --db "$OUT/t2.sqlite" "$OUT/flat/tickets.csv"
cp -r kb/articles "$OUT/articles"
articles=$(python3 -c "import sys; print(sum(1 for r,d,f in __import__('os').walk('$OUT/articles') if 'includes' not in r for x in f if x.endswith('.md')))")
run_kills "kb index" article "$OUT/index.sqlite" "$articles" "$KB" index --quiet --kb "$OUT/articles" --db "$OUT/index.sqlite"

#!/usr/bin/env bash
# An editor's session on the demo, after `make demo`: start, approve and publish a draft for
# customers, rerun the pipeline, then check that the article is indexed, found by `kb search`,
# counted in the review queue and the metrics, not proposed again, and that the customer export
# holds no ticket data. Runs in a copy of the project (the repository's KB is left as it is);
# prints each check and exits 1 on the first that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
KB="$repo/.build/release/kb"
[ -x "$KB" ] && [ -f kb/index.sqlite ] || { echo "editor_session: run \`make demo\` first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kb-editor-XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a kb pipelines kb.yml "$work/"
mkdir -p "$work/reports"
ln -s "$repo/.models" "$work/.models"
cd "$work"
ok() { echo "  ✓ $*"; }
fail() { echo "  ✗ $*" >&2; exit 1; }

echo "editor session in $work"
id=$("$KB" review list --status draft --json | python3 -c '
import json, sys
drafts = json.load(sys.stdin)["drafts"]
print(max(drafts, key=lambda d: d["ticket_count"])["id"])')
title=$("$KB" review list --json | python3 -c "import json,sys; print(next(d['title'] for d in json.load(sys.stdin)['drafts'] if d['id']=='$id'))")
echo "draft: $id ($title)"
KB_EDITOR=ed "$KB" review start "$id" >/dev/null
KB_EDITOR=lee "$KB" review approve "$id" >/dev/null
article=$(KB_EDITOR=lee "$KB" review publish "$id" --audience external --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["path"])')
relative=${article#"$work/kb/articles/"}
ok "published as kb/articles/$relative"

"$KB" run pipelines/nightly.yml --quiet || [ $? -eq 3 ]
top=$("$KB" search --json "$title" | python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(h[0]["article_path"] if h else "")')
[ "$top" = "$relative" ] && ok "indexed: kb search \"$title\" ranks it first" || fail "kb search ranks $top first, not $relative"
"$KB" review list --json | python3 -c "
import json,sys
d = [x for x in json.load(sys.stdin)['drafts'] if x['id'] == '$id']
assert d and d[0]['status'] == 'published' and not d[0]['has_proposal'], d
" && ok "the draft is the published record, with no proposal beside it"
[ ! -e "kb/drafts/$id.proposed.md" ] || fail "a proposal was written for the published draft"
grep -q "| published | 1 |" reports/review-queue.md && ok "review queue: published 1" || fail "review queue does not count it"
grep -q "| published | 1 |" reports/metrics.md && ok "metrics: published 1" || fail "metrics do not count it"

"$KB" export --out bundle >/dev/null 2>&1
[ -f "bundle/articles/$relative" ] && ok "in the customer export" || fail "not in the export"
python3 - "$title" "$relative" <<'PY'
import json, os, sqlite3, sys
title, published = sys.argv[1], sys.argv[2]
text = ""
for root, _, files in os.walk("bundle"):
    for f in files:
        if not f.endswith(".f32"):
            text += open(os.path.join(root, f), encoding="utf-8").read()
text = text.replace(title, "")  # the approved title may be one ticket's (redacted) wording
refs, subjects = set(), set()
for line in open("pipelines/demo/tickets.jsonl", encoding="utf-8"):
    t = json.loads(line)
    refs.add(f'{t["source"]}:{t["id"]}')
    if t.get("subject"):
        subjects.add(t["subject"])
db = sqlite3.connect("kb/tickets.sqlite")
for source, ext, subject in db.execute("SELECT source, external_id, subject FROM ticket"):
    refs.add(f"{source}:{ext}")
    if subject:
        subjects.add(subject)
# Words the help center itself uses (an article titled like a ticket's subject) are not leaks.
kb_text = ""
for root, _, files in os.walk("kb/articles"):
    for f in files:
        path = os.path.relpath(os.path.join(root, f), "kb/articles")
        if f.endswith(".md") and path != published:
            kb_text += open(os.path.join(root, f), encoding="utf-8").read()
leaks = [r for r in refs if r in text] + [s for s in subjects if len(s) > 12 and s in text and s not in kb_text]
if leaks:
    sys.exit(f"  ✗ the export holds ticket data: {leaks[:5]}")
print(f"  ✓ the export holds none of {len(refs)} ticket ids and {len(subjects)} subjects")
PY
echo "editor session: every check passed"

#!/usr/bin/env python3
"""The editors' web app in a real browser: Debian's Chromium driven by Selenium.

Builds a small project (or copies one given with --project, e.g. the demo), runs the nightly
pipeline on it with the built `kb`, starts `kb serve` on a free loopback port, and plays an
editor's session: open the queue, open a draft, edit it, start review, approve, publish
(external), re-index, find the article in search and open it; a second browser session that
opened the same draft before the edit saves its own text and gets the conflict page (409),
its text kept, nothing merged. Screenshots of every page at desktop and phone width go to
--screenshots DIR.

Exit status: 0 passed, 1 failed, 77 skipped (no Chromium or Selenium: printed clearly).
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP = 77


def skip(why):
    print(f"browser test SKIPPED: {why}")
    sys.exit(SKIP)


def find(*names):
    for n in names:
        p = shutil.which(n)
        if p:
            return p
    return None


def fixture(root, model):
    """The same small project the route tests use: articles, one recurring ticket problem."""
    def write(path, text):
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def article(path, title, category, body, external=True):
        write("kb/articles/" + path, f"---\ntitle: {title}\ncategory: {category}\nexternal: {str(external).lower()}\n---\n# {title}\n\n{body}\n")

    write("kb.yml", f"articles: kb/articles\nindex: kb/index.sqlite\ntickets_db: kb/tickets.sqlite\ndrafts: kb/drafts\nreports: reports\nmodel: {model}\n")
    article("payments/card-declined.md", "Card payment declined", "Payments",
            "## Resolution\n\nAsk the customer to contact their bank or use another card when checkout fails with ERR_PAY_402.")
    article("account/reset-2fa.md", "Reset two-factor authentication", "Account",
            "## Steps\n\nIf you lost your phone, use a recovery code to sign in, then set up the authenticator app again.")
    article("account/invite-users.md", "Invite a user to your account", "Account",
            "## Steps\n\nOpen Settings, then Users, and choose Invite. The colleague gets an e-mail with a link.")
    recurring = [
        ("T-101", "CSV import swaps day and month", "I imported invoices from a CSV and every date has day and month swapped, 03/04 became April 3."),
        ("T-102", "Dates swapped after CSV import", "After importing my CSV file all the invoice dates show the month and day swapped around."),
        ("T-103", "CSV import mixes up day and month", "<script>alert('ticket')</script> the CSV import swaps day and month in every date"),
        ("T-104", "Imported CSV dates have day and month reversed", "Importing a CSV of invoices reversed day and month in every date."),
        ("T-105", "CSV upload swaps day/month in dates", "When I upload invoices by CSV the dates come in with the day and month swapped."),
    ]
    others = [("T-201", "Card declined at checkout", "My customer's card was declined with error ERR_PAY_402."),
              ("T-202", "Lost phone, cannot sign in", "I lost my phone and cannot get the two-factor code.")]
    lines = []
    for i, (tid, subject, text) in enumerate(recurring + others):
        steps = ["Open Import settings.", "Set the date format to DD/MM/YYYY.", "Import the file again."] if tid < "T-2" else ["Answered the question."]
        day = 10 + i
        lines.append(json.dumps({
            "source": "demo", "id": tid, "subject": subject, "status": "resolved", "priority": "normal", "channel": "email",
            "category": "Invoices", "created_at": f"2026-11-{day}T09:00:00Z", "first_response_at": f"2026-11-{day}T10:00:00Z",
            "resolved_at": f"2026-11-{day}T12:00:00Z", "resolved_by": "agent", "customer": {"name": "Jo Tester", "email": "jo@example.com"},
            "messages": [{"role": "customer", "text": text}, {"role": "agent", "text": "Thanks, we fixed it."}],
            "resolution": {"summary": " ".join(steps), "cause": "The CSV importer reads dates as MM/DD." if tid < "T-2" else None, "steps": steps},
        }, sort_keys=True))
    write("pipelines/tickets.jsonl", "\n".join(lines) + "\n")
    write("pipelines/nightly.yml", "name: browser-test\nversion: 1\nstages: [parse, chunk, embed, index, import_tickets, drafts, gaps, review_queue, reports]\n"
          "tickets:\n  - path: pipelines/tickets.jsonl\n    format: jsonl\nreport:\n  window: 30d\n  as_of: 2026-11-30\nthresholds:\n  min_tickets: 3\n")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", default=None, help="the kb executable (default: .build/debug/kb, else .build/release/kb)")
    ap.add_argument("--project", help="copy this project (e.g. the demo, after `make demo`) instead of the small fixture")
    ap.add_argument("--screenshots", help="write PNGs of every page here (desktop and phone width)")
    ap.add_argument("--draft", help="the draft to review (default: the first in state draft)")
    args = ap.parse_args()

    chromium = find("chromium", "chromium-browser")
    driver_path = find("chromedriver")
    if not chromium or not driver_path:
        skip("Debian's chromium and chromium-driver are not installed (make setup installs them)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        skip("the selenium package is not installed (make setup installs it from PyPI)")

    kb = os.path.abspath(args.kb) if args.kb else next((p for p in (os.path.join(REPO, ".build/debug/kb"), os.path.join(REPO, ".build/release/kb")) if os.path.exists(p)), None)
    if not kb:
        print("browser test FAILED: no built kb (swift build --product kb)")
        return 1
    model = os.environ.get("KB_MODEL_DIR") or os.path.join(REPO, ".models/all-MiniLM-L6-v2")
    work = tempfile.mkdtemp(prefix="kb-browser-")
    root = os.path.join(work, "project")
    env = dict(os.environ, KB_EDITOR="browser-editor", KB_MODEL_DIR=model)
    if args.project:
        shutil.copytree(args.project, root, symlinks=True, ignore=shutil.ignore_patterns(".build*", ".git", "*.lock"))
    else:
        os.makedirs(root)
        fixture(root, model)
        run = subprocess.run([kb, "run", "pipelines/nightly.yml", "--quiet"], cwd=root, env=env, capture_output=True, text=True)
        if run.returncode not in (0, 3):
            print(f"browser test FAILED: kb run exited {run.returncode}: {run.stderr[-2000:]}")
            return 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([kb, "serve", "--port", str(port)], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    browsers = []
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/static/style.css", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    print("browser test FAILED: kb serve exited:", server.stdout.read()[-2000:])
                    return 1
                time.sleep(0.2)

        def browser():
            o = webdriver.ChromeOptions()
            o.binary_location = chromium
            for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                      "--force-device-scale-factor=1", "--window-size=1280,900"):
                o.add_argument(a)
            d = webdriver.Chrome(service=Service(executable_path=driver_path), options=o)
            browsers.append(d)
            return d

        shots = args.screenshots
        if shots:
            os.makedirs(shots, exist_ok=True)

        def shoot(d, name):
            if not shots:
                return
            for label, width in (("desktop", 1280), ("phone", 390)):
                d.set_window_size(width, 900)
                height = d.execute_script("return Math.min(document.documentElement.scrollHeight, 2400)")
                d.set_window_size(width, max(height, 600))
                d.save_screenshot(os.path.join(shots, f"{name}-{label}.png"))
            d.set_window_size(1280, 900)

        def has(d, text, timeout=20):
            """Waits for `text` on the page: a click's navigation may still be loading."""
            end = time.time() + timeout
            while time.time() < end:
                if text in d.page_source:
                    return True
                time.sleep(0.1)
            return False

        def check(cond, what):
            if not cond:
                raise AssertionError(what)
            print(f"  ok: {what}")

        a = browser()
        a.get(base + "/queue")
        check("Review queue" in a.title, "the queue opens")
        links = [e.get_attribute("href") for e in a.find_elements(By.CSS_SELECTOR, "table a[href^='/drafts/'], table a[href*='/drafts/']")]
        check(links, "the queue lists drafts")
        shoot(a, "queue")
        draft_url = base + "/drafts/" + args.draft if args.draft else None
        if not draft_url:
            a.get(base + "/queue?status=draft")
            draft_url = a.find_element(By.CSS_SELECTOR, "table a[href*='/drafts/']").get_attribute("href")
        draft_id = draft_url.rsplit("/", 1)[1]

        # The second editor opens the same draft first (the version they will save from).
        b = browser()
        b.get(draft_url)
        check(b.find_element(By.ID, "body") is not None, "a second session opens the same draft")

        a.get(draft_url)
        check("<script>" not in a.page_source.split("<body", 1)[1] if "<body" in a.page_source else True, "no script element on the draft page")
        shoot(a, "draft")
        title = a.find_element(By.ID, "title")
        old_title = title.get_attribute("value")
        new_title = old_title + " (reviewed)"
        title.clear()
        title.send_keys(new_title)
        body = a.find_element(By.ID, "body")
        text = body.get_attribute("value")
        # Above the first section (the draft's Related tickets never reach the article).
        cut = text.find("\n## ")
        edited = (text[:cut] if cut >= 0 else text) + "\n\nEdited in the browser: set the date format before importing.\n" + (text[cut:] if cut >= 0 else "")
        body.clear()
        body.send_keys(edited)
        a.find_element(By.CSS_SELECTOR, "form[action$='/save'] button").click()
        check(has(a, "Saved."), "the edit is saved")
        a.find_element(By.CSS_SELECTOR, "form[action$='/start'] button").click()
        check(has(a, "Review started."), "review started")
        a.find_element(By.CSS_SELECTOR, "form[action$='/approve'] button").click()
        check(has(a, "Approved."), "approved")
        from selenium.webdriver.support.ui import Select
        Select(a.find_element(By.ID, "audience")).select_by_value("external")
        shoot(a, "draft-approved")
        a.find_element(By.CSS_SELECTOR, "form[action$='/publish'] button").click()
        check(has(a, "Published"), "published")
        log = a.find_element(By.XPATH, "//h2[text()='Review log']/..").text
        check("browser-editor" in log, "the review log names the editor")

        # The second session saves from the version it opened: refused, shown both, nothing merged.
        b_body = b.find_element(By.ID, "body")
        b_body.send_keys("\nSECOND SESSION TEXT\n")
        b.find_element(By.CSS_SELECTOR, "form[action$='/save'] button").click()
        check(has(b, "Someone changed this draft"),
              "the stale save gets the conflict page" + ("" if "Someone changed" in b.page_source else f" ({b.current_url}: {b.find_element(By.TAG_NAME, 'main').text[:300]})"))
        check("SECOND SESSION TEXT" in b.find_element(By.ID, "body").get_attribute("value") if b.find_elements(By.ID, "body") else "SECOND SESSION TEXT" in b.page_source,
              "the second editor's text is kept")
        with open(os.path.join(root, "kb/drafts", draft_id + ".md")) as f:
            check("SECOND SESSION TEXT" not in f.read(), "nothing merged into the draft")
        shoot(b, "conflict")

        # The next run indexes the article; search finds it.
        idx = subprocess.run([kb, "index"], cwd=root, env=env, capture_output=True, text=True)
        check(idx.returncode == 0, "kb index re-indexes the published article")
        a.get(base + "/search?q=" + urllib.request.quote(old_title) + "&audience=external")
        hits = [e.text for e in a.find_elements(By.CSS_SELECTOR, ".hit b")]
        check(new_title in hits, f"search finds the published article ({hits[:3]})")
        shoot(a, "search")
        a.find_element(By.LINK_TEXT, new_title).click()
        check(has(a, "Edited in the browser") and new_title in a.title,
              f"the article page shows it ({a.current_url}: {a.title})")
        shoot(a, "article")
        a.get(base + "/search?q=" + urllib.request.quote("how do I change the colour of the moon"))
        shoot(a, "search-no-match")
        for page in ("gaps", "metrics"):
            a.get(base + "/" + page)
            check(a.title != "", f"the {page} page opens")
            shoot(a, page)
        print("browser test passed")
        return 0
    except Exception as e:  # noqa: BLE001 - report any failure as the test's
        print(f"browser test FAILED: {type(e).__name__}: {e}")
        return 1
    finally:
        for d in browsers:
            try:
                d.quit()
            except Exception:
                pass
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

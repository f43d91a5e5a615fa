"""Text helpers for scripts/make_demo_tickets.py: slot values, typos, money and date formats,
message wrappers and canned follow-ups. No file I/O; every random choice comes from the caller's rng."""
import datetime as dt
import re

import demo_tickets_fake as fake

MISSPELL = {"receive": "recieve", "the": "teh", "because": "becuase", "please": "pls", "invoice": "invocie",
            "account": "acount", "separate": "seperate", "definitely": "definately", "thanks": "thx",
            "really": "realy", "doesn't": "doesnt", "can't": "cant", "it's": "its", "I'm": "im",
            "transactions": "transations", "payment": "payemnt", "again": "agian", "customer": "custmer"}




def typoify(rng, text, rate):
    """Misspell some words of a template; never touches {slots}, codes or numbers."""
    if rate <= 0:
        return text
    out = []
    for word in text.split(" "):
        core = word.strip(".,!?:;()'\"")
        if "{" in word or any(c.isdigit() for c in word) or "_" in word or core.isupper() or len(core) < 3:
            out.append(word)
            continue
        r = rng.random()
        if core in MISSPELL and r < rate * 4:
            word = word.replace(core, MISSPELL[core])
        elif r < rate:
            i = rng.randrange(1, len(core) - 1)
            op = rng.choice(["swap", "drop", "double"])
            if op == "swap":
                core2 = core[:i] + core[i + 1] + core[i] + core[i + 2:]
            elif op == "drop":
                core2 = core[:i] + core[i + 1:]
            else:
                core2 = core[:i] + core[i] + core[i:]
            word = word.replace(core, core2, 1)
        out.append(word)
    text = " ".join(out)
    if rng.random() < rate * 3:
        text = text.replace("I ", "i ").replace(". ", ". " if rng.random() < 0.5 else " ")
    return text


def pick_subject(rng, subjects, message):
    """Prefer the subject line that shares the most words with the message (ties broken at random)."""
    words = lambda x: {w for w in re.findall(r"[a-z0-9]{4,}", x.lower()) if w not in ("with", "from", "this", "that")}  # noqa: E731
    scored = [(len(words(s) & words(message)), rng.random(), s) for s in subjects]
    best = max(scored)
    return best[2] if best[0] > 0 or rng.random() < 0.5 else rng.choice(subjects)


def money(rng, value, cur, sym):
    plain = f"{value:,.2f}"
    if cur == "EUR" and rng.random() < 0.6:
        eu = plain.replace(",", "X").replace(".", ",").replace("X", ".")
        return rng.choice([f"€{eu}", f"{eu} €", f"EUR {eu}"]), eu
    if rng.random() < 0.15:
        return f"{cur} {plain}", plain
    return f"{sym}{plain}", plain


def fmt_date(rng, d):
    return rng.choice([d.strftime("%b %-d"), d.strftime("%-d %B"), d.strftime("%Y-%m-%d"),
                       d.strftime("%d/%m/%Y"), d.strftime("%A")])


LOCALES = {"de-DE": ("€", "euros"), "fr-FR": ("€", "euros"), "nl-NL": ("€", "euros"), "en-US": ("$", "US dollars"),
           "en-GB": ("£", "pounds"), "en-AU": ("$", "US dollars"), "es-ES": ("€", "euros")}
CODE_HINTS = ["This one came back as do_not_honor, which means the bank declined without a reason - your customer needs to call them.",
              "The code is insufficient_funds, so the bank reports there wasn't enough available credit.",
              "It was authentication_required: the 3-D Secure check wasn't finished.",
              "The decline code is expired_card.", "The bank returned incorrect_cvc."]


def slot_values(rng, cust, created):
    cc = cust["country"]
    cname, cur, sym, _, tz, banks = fake.COUNTRIES[cc]
    domain = cust["email"].split("@")[1]
    value = rng.choice([49, 120, 250, 480, 950, 1200, 1890, 2450, 3200, 75]) + rng.choice([0, 0.5, 0.99, 0.25])
    amount, amount_plain = money(rng, value, cur, sym)
    fee_v = round(value * 0.029 + 0.3, 2)
    vat = rng.randint(1500, 99999) / 100
    locale = rng.choice([loc for loc, (s, _) in LOCALES.items() if s != sym])
    contact_first, contact_last = rng.choice(fake.FIRST), rng.choice(fake.LAST)
    contact_dom = rng.choice([domain, "example.com", "accountants.example"])
    contact_email = f"{contact_first}.{contact_last}".lower().replace("'", "").replace(" ", "") + "@" + contact_dom
    user = rng.choice(["deploy", "admin", "hooks", "ci"])
    ddmm_day = rng.randint(13, 28)
    return dict(
        company=cust["company"], email=cust["email"], name=cust["name"], tz=tz, cur=cur,
        country_name=cname, other_country=fake.COUNTRIES[rng.choice([c for c in fake.COUNTRIES if c != cc])][0],
        amount=amount, amount_plain=amount_plain,
        fee=money(rng, fee_v, cur, sym)[0], net=money(rng, value - fee_v, cur, sym)[0],
        vat_a=money(rng, vat, cur, sym)[0], vat_b=money(rng, vat + 0.01, cur, sym)[0],
        cent=rng.choice([f"{sym}0.01", "1 cent", "one penny" if cur == "GBP" else "0,01"]),
        q=rng.choice(["3", "7", "12", "0.5", "2.75"]), unit_price=rng.choice(["19.99", "4.35", "12.49", "0.83"]),
        right_sym=sym, wrong_sym=LOCALES[locale][0], wrong_name=LOCALES[locale][1], locale=locale,
        inv=f"INV-2026-{rng.randint(12, 980):04d}", inv2=f"INV-2026-{rng.randint(12, 980):04d}",
        date=fmt_date(rng, created - dt.timedelta(days=rng.randint(1, 10))),
        date_future=(created + dt.timedelta(days=rng.randint(3, 7))).strftime("%b %-d"),
        month=(created - dt.timedelta(days=30)).strftime("%B"), year=rng.choice(["2025", "2026"]),
        months=str(rng.randint(7, 11)), days=str(rng.choice([14, 30, 45, 60, 90])), n=str(rng.randint(12, 240)),
        mins=str(rng.randint(5, 40)), last4=f"{rng.randint(0, 9999):04d}", bank=rng.choice(banks),
        iban=fake.iban(cc if cc in fake.IBAN_BBAN else rng.choice(list(fake.IBAN_BBAN)), rng),
        card=fake.card_number(rng), exp=f"{rng.randint(1, 12):02d}/{rng.randint(27, 31)}",
        appver=rng.choice(["3.8.0", "3.8.1", "3.8.2"]), build=str(rng.randint(3800, 3899)),
        webver=rng.choice(["v2.14.3", "v2.14.1", "v2.15.0"]), chrome=f"131.0.{rng.randint(6700, 6799)}.{rng.randint(10, 99)}",
        device=rng.choice(["Pixel 8", "Pixel 9 Pro", "Samsung Galaxy S24", "Samsung Galaxy A55", "OnePlus 12", "Xiaomi 14"]),
        receipts_email=f"receipts+{fake.token(rng, 8, 'abcdefghjkmnpqrstuvwxyz23456789')}@in.ledgerly.example",
        hook_url=rng.choice([f"https://hooks.{domain}/ledgerly?token={fake.token(rng, 24)}",
                             f"https://api.{domain}/webhooks/ledgerly?secret={fake.token(rng, 20)}&env=prod",
                             f"https://{domain}/wh/ledgerly"]),
        auth_url=f"https://{user}:{fake.token(rng, 10)}@staging.{domain}/webhooks/ledgerly",
        api_key="sk_live_" + fake.token(rng, rng.randint(24, 32)),
        ipv4=fake.ipv4(rng), ipv6=fake.ipv6(rng),
        contact=f"{contact_first} {contact_last}", contact_email=contact_email,
        other_person=f"{rng.choice(fake.FIRST)} {rng.choice(fake.LAST)}",
        other_company=f"{rng.choice(fake.BIZ_A)} {rng.choice(fake.BIZ_B)}",
        payout_id="po_" + fake.token(rng, 14), code_hint=rng.choice(CODE_HINTS),
        ddmm=f"{ddmm_day}/{rng.randint(1, 12):02d}/2026", shop=fake.slug(cust["company"].split(" ")[0]),
        phone_intl=fake.phone(cc, rng, True), phone_nat=fake.phone(cc, rng, False),
        vat_id={"GB": "GB123456789", "DE": "DE811234567", "FR": "FR40123456789", "NL": "NL123456789B01",
                "IE": "IE1234567T"}.get(cc, "EU372012345"),
    )



def wrap_customer(rng, text, channel, cust, slots):
    if channel == "social":
        return "@LedgerlyHelp " + text
    if channel == "chat":
        return text
    if channel == "phone":
        return f"[Call transcript] Caller {cust['name']} ({cust['company']}): " + text
    greet = rng.choice(["Hi,", "Hello,", "Hi there,", "Hello Ledgerly team,", "Dear support,", "", "Good morning,", "Hey,"])
    sign = rng.choice(["Thanks", "Thanks,", "Cheers", "Kind regards,", "Regards", "Thank you", "thx"])
    lines = [sign, cust["name"] if rng.random() < 0.8 else cust["first"]]
    if rng.random() < 0.5:
        lines.append(cust["company"])
    if rng.random() < 0.45:
        own = cust["phone"] if cust["phone"] and rng.random() < 0.6 else rng.choice([slots["phone_intl"], slots["phone_nat"]])
        lines.append(rng.choice(["Tel: ", "Phone: ", "Mob. ", ""]) + own)
    if rng.random() < 0.1:
        lines.append(cust["email"])
    if text.lower().startswith(("hi", "hello", "hey", "good morning", "dear")):
        greet = ""
    body = (greet + "\n\n" if greet else "") + text + "\n\n" + "\n".join(lines)
    return body


def wrap_agent(rng, text, cust, channel, author):
    if channel in ("chat", "social"):
        return text
    hello = rng.choice(["Hi {first},", "Hello {first},", "Hi {first}!", "Dear {first},"]).format(first=cust["first"])
    bye = rng.choice(["Best regards", "Kind regards", "Best", "Thanks"])
    return f"{hello}\n\n{text}\n\n{bye},\n{author.split(' (')[0]}\nLedgerly Support"


OK_FOLLOWUPS = ["That worked, thanks!", "ok done, thank you", "Perfect, sorted. Thanks for the quick help",
                "Great, that fixed it.", "thanks, all good now", "Brilliant, appreciate it!"]
GAP_FOLLOWUPS = ["OK, the workaround helps for now. Please let me know when it's fixed properly.",
                 "Fine, but this is costing me time. When will it be fixed?",
                 "thanks. will wait for the fix", "Ok did that. Any ETA on a real fix?"]
REOPEN = ["It's happening again, same problem as before.", "Sorry to reopen - this came back today.",
          "Hi, the issue is back. Can you look again?", "still not working after all, reopening"]
FINAL_GAP = ["Quick update: the fix has been released and your account is sorted. Thanks for your patience!",
             "Good news - engineering has deployed the fix. I'm resolving this ticket; just reply if anything still looks off.",
             "Thanks for confirming. We'll keep the bug linked to your ticket and notify you when the permanent fix is out."]
EXTRAS = {  # postscripts that plant more personal data, by ticket category
    "Integrations": ["PS our staging endpoint is {auth_url} if you want to test.", "Endpoint for reference: {hook_url}",
                     "Our requests come from {ipv6} and {ipv4}.", "The key we use starts sk_live - full key: {api_key}"],
    "Account & security": ["I'm connecting from {ipv4} if that helps.", "my IP is {ipv6}", "Call me on {phone_intl} if easier."],
    "Payments": ["Our business account is {iban}.", "You can call me on {phone_intl} or {phone_nat}."],
    "Bank feeds": ["The account is {iban}.", "Best to reach me on {phone_nat}."],
    "Mobile app": ["Phone number on the account is {phone_intl}."],
}
PII_WARNINGS = [("card", "Please never send full card numbers by email or chat - I've redacted the one in this ticket."),
                ("api_key", "Your API key was posted here in plain text, so please roll it now under Settings > Developers > API keys."),
                ("auth_url", "The URL you sent contains a password - please change it, and we've redacted it from this ticket."),
                ("hook_url", "If that URL contains a token, consider rotating it since it's now in a support ticket.")]
FINAL_OK = ["Glad that helped! I'll close this ticket now.", "Great to hear. Have a good day!", "Happy to help - closing this one."]

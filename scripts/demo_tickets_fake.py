"""Fake people, companies and planted personal data for scripts/make_demo_tickets.py.

Everything is fictional: names are combined from lists, e-mail domains are example
domains, phone numbers use fictional/drama ranges, card numbers are Luhn-valid test
numbers, IBANs are generated with valid checksums, IP addresses are from the
documentation ranges (RFC 5737 / RFC 3849) or private ranges.
"""
import string

FIRST = ["Ana", "Luis", "Priyanka", "Tom", "Mei", "Olusegun", "Hannah", "Jonas", "Sofia", "Mateo",
         "Aisha", "Liam", "Chloe", "Kenji", "Fatima", "Noah", "Ingrid", "Rahul", "Emma", "Diego",
         "Zoe", "Marek", "Leila", "Oscar", "Yuki", "Grace", "Tariq", "Nora", "Felix", "Isabel",
         "Kwame", "Julia", "Ravi", "Elena", "Sean", "Amara", "Lukas", "Camille", "Daniel", "Freya"]
LAST = ["Souza", "Okafor", "Lindqvist", "Brennan", "Nakamura", "Schmidt", "Dubois", "Patel", "Kowalski",
        "Moreau", "Hughes", "Van Dijk", "Rossi", "Murphy", "Haddad", "Fischer", "Jensen", "Garcia",
        "O'Neill", "Achterberg", "Mensah", "Silva", "Weber", "Thompson", "Ivanova", "Costa", "Becker",
        "Novak", "Walsh", "Romero", "Kaur", "Lambert", "Bauer", "Nguyen", "Hartley", "Keane"]
BIZ_A = ["Harbour", "Blue Fern", "Copper Kettle", "North Star", "Little Oak", "Bright Side", "Silver Birch",
         "Red Door", "Green Lantern", "Maple & Co", "Tidewater", "Old Mill", "Sunny Hill", "Iron Gate",
         "Wild Thyme", "Paper Crane", "Stonebridge", "Lighthouse", "Juniper", "Fox & Hound"]
BIZ_B = ["Coffee", "Studio", "Bakery", "Plumbing", "Design", "Consulting", "Florist", "Electrical",
         "Catering", "Joinery", "Dental", "Photography", "Yoga", "Landscaping", "Print Shop", "IT Services"]

COUNTRIES = {
    # code: (name, currency, symbol, weight, time zone, banks)
    "US": ("the United States", "USD", "$", 30, "America/New_York",
           ["Chase Business", "Bank of America", "Wells Fargo", "US Bank", "Mercury"]),
    "GB": ("the UK", "GBP", "£", 25, "Europe/London",
           ["Barclays Business", "HSBC UK", "Lloyds", "Starling", "Monzo Business", "NatWest"]),
    "DE": ("Germany", "EUR", "€", 12, "Europe/Berlin", ["Deutsche Bank", "Commerzbank", "Sparkasse", "N26 Business"]),
    "NL": ("the Netherlands", "EUR", "€", 6, "Europe/Amsterdam", ["ING", "ABN AMRO", "Rabobank", "bunq"]),
    "FR": ("France", "EUR", "€", 6, "Europe/Paris", ["BNP Paribas", "Societe Generale", "Credit Agricole", "Qonto"]),
    "IE": ("Ireland", "EUR", "€", 4, "Europe/Dublin", ["AIB", "Bank of Ireland", "PTSB"]),
    "AU": ("Australia", "AUD", "A$", 10, "Australia/Sydney", ["Commonwealth Bank", "Westpac", "ANZ", "NAB"]),
    "CA": ("Canada", "CAD", "C$", 7, "America/Toronto", ["RBC", "TD Canada Trust", "Scotiabank", "BMO"]),
}
IBAN_BBAN = {"DE": "8n10n", "GB": "4a6n8n", "NL": "4a10n", "FR": "5n5n11n2n", "IE": "4a6n8n"}


def luhn_complete(prefix, length, rng):
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return digits + str((10 - total % 10) % 10)


def luhn_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


TEST_CARDS = ["4111111111111111", "5555555555554444", "4242424242424242", "378282246310005", "6011111111111117"]


def card_number(rng):
    if rng.random() < 0.5:
        number = rng.choice(TEST_CARDS)
    else:
        number = luhn_complete(rng.choice(["4", "51", "53", "55"]), 16, rng)
    assert luhn_ok(number)
    if len(number) == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i:i + 4] for i in range(0, 16, 4)]
    return rng.choice([" ", "-", " ", ""]).join(groups)


def iban(country, rng):
    country = country if country in IBAN_BBAN else "DE"
    if rng.random() < 0.25:
        fixed = {"DE": "DE89370400440532013000", "GB": "GB82WEST12345698765432",
                 "NL": "NL91ABNA0417164300", "FR": "FR1420041010050500013M02606", "IE": "IE29AIBK93115212345678"}
        value = fixed[country]
    else:
        bban = ""
        for part in IBAN_BBAN[country].replace("n", "n|").replace("a", "a|").split("|"):
            if not part:
                continue
            count, kind = int(part[:-1]), part[-1]
            alphabet = string.digits if kind == "n" else string.ascii_uppercase
            bban += "".join(rng.choice(alphabet) for _ in range(count))
        rearranged = bban + country + "00"
        numeric = int("".join(str(int(c, 36)) for c in rearranged))
        value = f"{country}{98 - numeric % 97:02d}{bban}"
    assert int("".join(str(int(c, 36)) for c in value[4:] + value[:4])) % 97 == 1
    if rng.random() < 0.7:
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return value


def phone(country, rng, international=None):
    n4 = f"{rng.randint(100, 199):04d}"
    intl = rng.random() < 0.5 if international is None else international
    if country == "US":
        area = rng.choice(["415", "212", "646", "312", "512"])
        return f"+1 {area} 555 {n4}" if intl else rng.choice([f"({area}) 555-{n4}", f"{area}-555-{n4}"])
    if country == "CA":
        area = rng.choice(["416", "604", "514"])
        return f"+1 {area} 555 {n4}" if intl else f"({area}) 555-{n4}"
    if country == "GB":
        if rng.random() < 0.5:
            tail = f"{rng.randint(0, 999):03d}"
            return f"+44 7700 900{tail}" if intl else f"07700 900{tail}"
        tail = f"{rng.randint(0, 999):03d}"
        return f"+44 20 7946 0{tail}" if intl else f"020 7946 0{tail}"
    if country == "AU":
        tail = f"{rng.randint(0, 999):03d}"
        return f"+61 491 570 {tail}" if intl else f"0491 570 {tail}"
    if country == "FR":
        return f"+33 1 99 00 {rng.randint(10, 99)} {rng.randint(10, 99)}" if intl else f"01 99 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if country == "NL":
        return f"+31 20 {rng.randint(100, 999)} {rng.randint(1000, 9999)}" if intl else f"020 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if country == "IE":
        return f"+353 1 {rng.randint(100, 999)} {rng.randint(1000, 9999)}" if intl else f"01 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return f"+49 30 {rng.randint(1000000, 9999999)}" if intl else f"030 {rng.randint(1000000, 9999999)}"


def ipv4(rng):
    net = rng.choice(["203.0.113", "198.51.100", "192.0.2", "10.20.30"])
    return f"{net}.{rng.randint(2, 254)}"


def ipv6(rng):
    groups = [f"{rng.randint(0, 0xffff):x}" for _ in range(4)]
    if rng.random() < 0.5:
        return "2001:db8:" + ":".join(groups[:2]) + "::" + groups[2]
    return "2001:db8:" + ":".join(groups) + ":" + f"{rng.randint(1, 0xffff):x}:{rng.randint(1, 0xffff):x}"


def token(rng, n, alphabet=string.ascii_letters + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


def slug(text):
    return "".join(c for c in text.lower().replace("&", "and").replace(" ", "-") if c.isalnum() or c == "-")


def make_customers(rng, count):
    codes = list(COUNTRIES)
    weights = [COUNTRIES[c][3] for c in codes]
    customers = []
    used = set()
    while len(customers) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = f"{rng.choice(BIZ_A)} {rng.choice(BIZ_B)}"
        if (first, last, company) in used:
            continue
        used.add((first, last, company))
        country = rng.choices(codes, weights)[0]
        suffix = {"US": " LLC", "GB": " Ltd", "DE": " GmbH", "NL": " B.V.", "FR": " SARL", "IE": " Ltd",
                  "AU": " Pty Ltd", "CA": " Inc."}[country]
        company += suffix if rng.random() < 0.6 else ""
        words = [w for w in company.split(" ") if w.isalpha()][:2]
        domain = slug("-".join(words)) + ".example"
        local = rng.choice([f"{first}.{last}", f"{first}", f"{first[0]}{last}", "accounts", "hello"])
        local = "".join(c for c in local.lower() if c.isalnum() or c == ".")
        personal = local not in ("accounts", "hello") and rng.random() < 0.3
        email = local + "@" + (rng.choice(["example.com", "example.net", "mail.example.org"]) if personal else domain)
        customers.append(dict(
            id=f"C-{len(customers) + 1:04d}", name=f"{first} {last}", first=first, email=email.lower(),
            phone=phone(country, rng) if rng.random() < 0.75 else None, company=company, country=country,
            handle="@" + first.lower() + rng.choice(["_", ""]) + slug(last).replace("-", "") + rng.choice(["", "_biz", "hq", str(rng.randint(1, 99))]),
            vip=rng.random() < 0.05,
        ))
    return customers

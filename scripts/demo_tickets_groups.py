"""Recurring-problem groups for scripts/make_demo_tickets.py (content only, no logic).

Each group is one problem that many customers report in different words.
`covered` says whether the help center (kb/articles) answers it; `article` is the
answering article's path relative to kb/articles. Templates use {slots} filled by
make_demo_tickets.slot_values(); the customer templates get typos applied by the
generator (placeholders are never touched).
"""

from demo_tickets_covered import COVERED, COVERED_GROUPS

GAP = "gap"

GAP_GROUPS = [
    # ------------------------------------------------------------------ gaps
    dict(
        label="pdf-currency-symbol-locale",
        title="PDF invoice shows wrong currency symbol after switching locale",
        kind=GAP, article=None, count=16,
        category="Invoices", tags=["pdf", "currency", "locale"],
        weeks=[1, 2, 2, 2, 2, 2, 2, 2],
        priority={"normal": 6, "high": 3, "low": 1},
        escalate=0.1, reopen=0.1,
        subjects=[
            "PDF invoice shows wrong currency symbol",
            "Wrong currency sign on PDF after locale change",
            "currency symbol wrong in pdf",
            "Invoice {inv} PDF says {wrong_sym} instead of {right_sym}",
            "Bug in PDF generator? currency",
        ],
        messages=[
            "Since I changed the locale of our company to {locale} the PDF invoices show {wrong_sym} instead of {right_sym}. Invoice {inv} is in {cur} but the PDF says {wrong_sym}{amount_plain}. On screen it is correct. Can you fix this asap, the customer is confused.",
            "PDF shows the wrong currency!! Invoice {inv} for {amount} downloads with the {wrong_sym} sign. I switched the number format to {locale} last week, before that it was fine.",
            "Quick one: after updating Settings > Company > Locale to {locale} the currency symbol on the PDFs is wrong ({wrong_sym} vs {right_sym}). The web view is fine. We use the Modern template, web app {webver}.",
            "My client in {other_country} got invoice {inv} and asked why it is in {wrong_name} - it isn't, it's {cur}, but the PDF prints {wrong_sym}. Started after I changed the locale to {locale}.",
            "currency symbol on pdf is wrong since the locale change. {inv}, {amount} shows as {wrong_sym}{amount_plain}",
            "Is there a bug with the PDF export? We switched our locale from en-GB to {locale} so that dates look right and now every PDF uses {wrong_sym}. The email preview is correct, only the attachment is wrong.",
            "Hello, our accountant {contact} spotted that the PDF copies of our {cur} invoices show a {wrong_sym} symbol. We changed the language/locale setting on {date}. Invoices from before that date are fine when re-downloaded? No, those are wrong too now.",
        ],
        replies=[
            "Thanks for reporting this, and sorry for the confusion. We can reproduce it: when the company locale is different from the usual locale of the invoice currency, the PDF renderer prints the locale's currency symbol. The amounts themselves and the online invoice are correct. As a workaround, open Settings > Invoices > Templates, set Currency display to 'ISO code' (so amounts print as {cur} 1,200.00) and download or resend {inv} again. Engineering is tracking the bug as PDF-1182.",
            "I've checked {inv} and the amount and currency stored on the invoice are right ({cur}); only the symbol in the PDF is wrong. This is a rendering bug that appears after a locale change. Please switch the template's Currency display to ISO code for now and regenerate the PDF. I've added your company to the bug report so you hear from us when it's fixed.",
        ],
        resolution=dict(
            summary="PDF printed the company-locale currency symbol instead of the invoice currency symbol; workaround is ISO currency codes on the template and regenerating the PDF.",
            cause="PDF renderer formats amounts with the company locale instead of the invoice currency (bug PDF-1182).",
            steps=["Confirm the invoice currency is stored correctly", "Settings > Invoices > Templates > Currency display: ISO code", "Re-download or resend the affected PDFs", "Link the ticket to PDF-1182"],
        ),
        notes=["Repro on staging with locale {locale} + {cur} invoice. Linked to PDF-1182."],
    ),
    dict(
        label="bank-feed-duplicates-reconnect",
        title="Bank feed duplicates transactions after reconnecting",
        kind=GAP, article=None, count=32,
        category="Bank feeds", tags=["bank-feed", "duplicates", "reconnect"],
        weeks=[1, 1, 2, 2, 3, 5, 8, 10],
        priority={"normal": 5, "high": 4, "urgent": 1},
        escalate=0.3, reopen=0.12,
        subjects=[
            "Duplicate transactions after reconnecting bank",
            "bank feed doubled everything",
            "Transactions imported twice - {bank}",
            "URGENT duplicates in bank feed",
            "Reconnect created duplicate bank lines",
            "Same transactions appear twice",
        ],
        messages=[
            "After I reconnected my {bank} account (the 90 day consent renewal) every transaction from the last {days} days shows up twice in Ledgerly. Do I really have to delete them one by one??",
            "duplicate transactions in the bank feed. I reconnected the {bank} business account on {date} and now I have {n} duplicates, some of them already reconciled. Account ending {last4}.",
            "Hello, we renewed the bank connection for {bank} and the feed imported everything again - my balance in Ledgerly is now off by {amount}. The reconcile screen shows the same card payment twice.",
            "Urgent: our VAT return is due on Friday and the bank feed doubled all transactions since {date} after the reconnect. IBAN {iban}. Please help.",
            "Every time I reconnect the feed it creates duplicates. This is the second time it happened. Bank: {bank}. I'm losing hours on this.",
            "Hi team, my bookkeeper {contact} noticed duplicated bank lines after we re-authorised {bank} yesterday. Is there a way to remove the duplicates in bulk?",
            "the bank feed is showing double entries since I clicked reconnect. before that the account had the red broken link icon. now there are {n} extra lines",
            "We got the email that the bank consent expires, so I reconnected {bank}. Now Ledgerly shows the opening balance twice and every transaction since {date} twice. Our bank account {iban} obviously doesn't have these.",
        ],
        replies=[
            "Sorry about this. When a bank connection is re-created, the provider sometimes issues new IDs for transactions we have already imported, so our duplicate check doesn't recognise them. I've asked our bank operations team to remove the copies imported after the reconnect on your {bank} account. Please don't reconcile any of the new lines until I confirm.",
            "Thanks for the details. I can see the {bank} connection was re-created rather than renewed, which re-imported {days} days of history. We're removing the duplicates on our side - reconciled transactions are kept, only the unreconciled copies go. I'll update you within one business day.",
        ],
        resolution=dict(
            summary="Reconnect re-imported history with new provider transaction IDs; Bank-Ops removed the unreconciled duplicates imported after the reconnect.",
            cause="Aggregator issues new transaction IDs when consent is re-created, so de-duplication by provider ID fails.",
            steps=["Check feedctl status for a new provider account ID", "Escalate to BANK-OPS with the reconnect date", "Remove unreconciled copies imported after the reconnect", "Ask customer to review the reconcile screen", "Next time: Link to existing account and start the import the day after the last imported transaction"],
        ),
        notes=["feedctl status shows new provider account id after reconnect on {date}. Escalated to BANK-OPS for dedupe.", "Another one for the dedupe bug - please link to BANKFEED-907."],
    ),
    dict(
        label="android15-receipt-crash",
        title="Mobile app crashes when attaching a receipt photo on Android 15",
        kind=GAP, article=None, count=26,
        category="Mobile app", tags=["mobile", "android", "crash", "receipts"],
        weeks=[0, 0, 0, 1, 3, 6, 8, 10],
        priority={"normal": 5, "high": 4, "low": 1},
        escalate=0.3, reopen=0.15,
        csat={1: 20, 2: 25, 3: 25, 4: 20, 5: 10},
        subjects=[
            "App crashes when attaching receipt",
            "Android app crash - receipt photo",
            "cant attach receipts",
            "Ledgerly {appver} crashes on Android 15",
            "App closes when I take a photo",
        ],
        messages=[
            "The app crashes every time I try to attach a photo of a receipt. {device}, Android 15, Ledgerly app {appver}.",
            "The android app closes itself when I tap Receipt > Take photo. It worked before the update. {device} on Android 15.",
            "cant attach receipts anymore on my phone, the app just shuts down. android 15. reinstalled it twice already",
            "Crash report: Ledgerly {appver} (build {build}) on Android 15 crashes when choosing a photo from the gallery to attach to an expense. Choosing a PDF works fine.",
            "Hi, since my phone updated to Android 15 the app crashes on the camera screen. I have {n} receipts to add before month end, is there a fix coming?",
            "App crash when attaching receipt - Android 15 - {device}. Happens with both the camera and the gallery. Cleared cache, same thing.",
            "My employee {contact} can't upload receipts from her {device}, the app crashes straight away. Mine is an iPhone and works. Version {appver}.",
        ],
        replies=[
            "Thanks for letting us know, and sorry for the trouble. This is a known crash in app versions 3.8.x on Android 15 when the new system photo picker returns an image. A fix is planned for 3.8.3. Until then you can upload receipts on the web (Expenses > Upload) or forward them to your receipts inbox {receipts_email}.",
            "I'm sorry about this. Our mobile team has reproduced the crash on Android 15 devices when attaching a photo. As a workaround please use the web app or email the receipts to {receipts_email}; they'll be matched the same way. I'll update this ticket when the fixed version is in Google Play.",
        ],
        resolution=dict(
            summary="Known crash in Android app 3.8.x on Android 15 when the system photo picker returns an image; receipts uploaded via web or receipts inbox until the fix.",
            cause="App crashes handling the Android 15 photo picker result (MOB-2231).",
            steps=["Confirm Android 15 and app version 3.8.x", "Offer web upload (Expenses > Upload) or the receipts inbox", "Link ticket to MOB-2231", "Notify customer when 3.8.3 is released"],
        ),
        notes=["Crash log attached by customer matches MOB-2231 (PhotoPicker NPE).", "Escalating to mobile L3 - another Android 15 crash, {device}."],
    ),
    dict(
        label="webhook-retry-flood",
        title="Webhook retries flood endpoint after 500 errors",
        kind=GAP, article=None, count=14,
        category="Integrations", tags=["webhooks", "retries", "api"],
        weeks=[1, 1, 1, 3, 3, 2, 2, 2],
        priority={"high": 5, "urgent": 4, "normal": 1},
        escalate=0.75, reopen=0.1,
        channels={"email": 55, "web": 25, "chat": 15, "social": 5},
        subjects=[
            "Your webhooks are flooding our server",
            "URGENT webhook retries DDoS",
            "Webhook retry storm after HTTP 500",
            "How to stop webhook retries?",
            "Too many webhook deliveries",
        ],
        messages=[
            "Your webhooks are hammering our server. Our endpoint {hook_url} returned HTTP 500 for about {mins} minutes during a deploy and since then we get {n} requests per minute, the same events over and over. Please make it stop!",
            "URGENT: Ledgerly retries are DDoSing our endpoint after it returned 500s. We see the same evt_ IDs hundreds of times. Our server at {ipv4} is now being rate limited by our host.",
            "Webhook deliveries keep retrying far too aggressively after errors. Is there any backoff? Our logs show {n} deliveries of invoice.paid in 10 minutes. Endpoint: {hook_url}",
            "We had an outage (HTTP 502 from our load balancer) and now the webhook queue is flooding us. Can you pause the retries for our endpoint? API key for reference {api_key}",
            "how do I disable retries for webhooks? we're getting flooded after our endpoint threw 500 errors for a few minutes. staging url is {auth_url}",
            "Hi, after a failed deploy our webhook handler returned 500 and now Ledgerly is sending every event again every few seconds, from IPs like {ipv6}. We had to block you at the firewall which means we miss real payments.",
        ],
        replies=[
            "I'm sorry - I've paused deliveries to your endpoint right now so the traffic stops. Our retry scheduler retried failed deliveries without backing off for endpoints that answered 5xx; engineering is treating it as an incident (INC-2291). Once your endpoint is healthy, reply here and we'll replay the undelivered events once each, in order.",
            "Thanks for raising this so quickly. Deliveries to your endpoint are paused as of now. We've confirmed the retries after HTTP 500 responses ignored the backoff schedule. A fix with exponential backoff is being rolled out; in the meantime you can also disable the endpoint yourself under Settings > Developers > Webhooks.",
        ],
        resolution=dict(
            summary="Webhook retries after 5xx responses ran without backoff; deliveries paused, fix with exponential backoff deployed, missed events replayed once.",
            cause="Retry scheduler ignored backoff for endpoints answering 5xx (INC-2291).",
            steps=["Pause deliveries to the endpoint", "Escalate to L3 Integrations (INC-2291)", "Ask customer to rotate any secrets posted in the ticket", "Replay undelivered events once the endpoint is healthy"],
        ),
        notes=["Paused endpoint via Backstage > Webhooks. Escalated to L3 Integrations, INC-2291.", "Customer posted secrets in the ticket - redacted and asked them to rotate."],
    ),
    dict(
        label="vat-rounding-difference",
        title="VAT rounding differs by 0.01 between invoice and tax report",
        kind=GAP, article=None, count=18,
        category="Invoices", tags=["tax", "vat", "rounding", "reports"],
        weeks=[2, 2, 2, 3, 2, 2, 3, 2],
        priority={"normal": 7, "low": 2, "high": 1},
        escalate=0.1, reopen=0.1,
        subjects=[
            "VAT report differs by 1 cent",
            "Rounding difference VAT invoice vs report",
            "Tax summary doesn't match invoices",
            "0.01 difference in VAT",
            "penny out on vat again",
        ],
        messages=[
            "The VAT total on invoice {inv} is {vat_a} but the Tax summary report shows {vat_b} for the same invoice, 1 cent difference. My accountant is asking why.",
            "Rounding issue: the Tax summary report differs by 0.01 from the invoices. We have lots of lines like {q} x {unit_price}. Which one is correct for the VAT return?",
            "Hi, the VAT in the report and on the invoices don't match - off by one cent on several invoices ({inv}, {inv2}). Our prices are tax inclusive.",
            "Why is there a {cent} difference between the invoice VAT and the VAT return report? This is a problem for us with the tax office.",
            "penny difference in vat between the invoice and the report again. invoice {inv}. which number do I file?",
            "Good morning, our accountant {contact} reconciled Q3: the VAT per the Tax summary is {vat_b} but the invoices add up to {vat_a}. It's always 0.01 per invoice with many lines.",
        ],
        replies=[
            "Good question. Invoices round the tax on each line and add the rounded amounts, while the Tax summary report currently rounds the tax once per rate for the whole invoice. With many lines the two can differ by a cent. For your return, use the invoice figures - they're what your customer was charged. We're changing the report to use per-line rounding so the two match.",
            "Thanks for the examples. I've checked {inv}: the per-line tax adds up to {vat_a}, the report recalculates on the total and gets {vat_b}. The invoice amount is the legally correct one. Engineering has a change queued to make the report match the invoices (TAX-412); I've linked your ticket.",
        ],
        resolution=dict(
            summary="Invoice rounds VAT per line while the Tax summary report rounds per rate on the invoice total, causing 0.01 differences; customer advised to file the invoice figures.",
            cause="Different rounding methods in the invoice calculation and the tax report (TAX-412).",
            steps=["Compare per-line tax on the invoice with the report", "Advise using the invoice figures for the return", "Link ticket to TAX-412"],
        ),
        notes=["Same rounding issue as TAX-412."],
    ),
    dict(
        label="accountant-invite-expired",
        title="Cannot invite accountant - invitation link expired",
        kind=GAP, article=None, count=20,
        category="Account & security", tags=["team", "invitation", "accountant"],
        weeks=[2, 2, 3, 2, 3, 3, 2, 3],
        priority={"normal": 6, "high": 3, "low": 1},
        escalate=0.1, reopen=0.35,
        csat={1: 55, 2: 30, 3: 10, 4: 4, 5: 1},
        subjects=[
            "Invitation link expired",
            "Can't invite my accountant",
            "accountant invite not working",
            "How to resend an invitation?",
            "Invite says already invited but link expired",
        ],
        messages=[
            "I invited my accountant {contact} ({contact_email}) last week and she says the invitation link has expired. I can't find any way to resend it, the Invite button says she is already invited.",
            "Invitation link expired. My bookkeeper clicked the link in the email and gets 'This invitation is no longer valid'. We tried 3 times.",
            "How do I re-invite someone? The invite to {contact_email} expired and now I can't invite the same address again - 'user already invited'.",
            "our accountant can't get access. the invite link says expired. we need the books for year end by friday!!!",
            "Hi, I'm the external accountant for {company}. The invite link I received says expired (I was on holiday). The owner can't resend it. Can you add me directly? My email is {contact_email}.",
            "Invited {contact} as Accountant on {date}, link expired, re-invite is blocked. This is ridiculous for a paid product, please sort it out.",
        ],
        replies=[
            "Sorry for the hassle. Invitation links are valid for 72 hours, and while the expired invitation is still pending it blocks a new one to the same address. Please go to Settings > Team > Pending invitations, click the invitation to {contact_email}, choose Revoke, and then invite them again. The new link is valid for another 72 hours.",
            "I understand how frustrating this is with year end coming up. For security we can't add people to your company ourselves. The owner needs to revoke the pending invitation under Settings > Team > Pending invitations and send a new one; that clears the 'already invited' message.",
        ],
        resolution=dict(
            summary="Expired pending invitation blocked re-inviting the same address; owner revoked the pending invitation and invited again.",
            cause="Invitation links expire after 72 hours and the expired invitation stays pending, blocking a new invite (TEAM-318).",
            steps=["Settings > Team > Pending invitations", "Revoke the expired invitation", "Invite the same address again", "Ask the invitee to accept within 72 hours"],
        ),
        notes=["Pointed customer to team-roles article first, didn't help. Known issue TEAM-318."],
        bad_first_reply="You can invite team members from Settings > Team > Invite, see our article on team roles and permissions: https://help.ledgerly.example/account-security/team-roles",
    ),
    dict(
        label="stripe-payout-fees-missing",
        title="Stripe-sync payouts missing the fees line",
        kind=GAP, article=None, count=12,
        category="Integrations", tags=["stripe", "payouts", "fees", "reconciliation"],
        weeks=[0, 1, 1, 1, 2, 2, 3, 3],
        priority={"normal": 7, "high": 2, "low": 1},
        escalate=0.2, reopen=0.1,
        subjects=[
            "Stripe fees missing on payouts",
            "Stripe sync - clearing account not zero",
            "stripe payout fees not booked",
            "Payout {payout_id} missing fee line",
        ],
        messages=[
            "Stripe sync: the payouts come in but the Stripe fees are not booked, so the Stripe clearing account never gets to zero. Payout {payout_id} was {amount} and the fees were {fee}.",
            "The Stripe payout is missing the fees line - the transfer in Ledgerly is the gross amount not the net. My bank shows {net}.",
            "Hi, since {date} the Stripe integration stopped creating fee lines for payouts. The Stripe clearing account has a balance of {amount} that should be zero.",
            "stripe fees missing from payouts after I reconnected stripe, the reconcile doesn't match by a few {cur} every day",
            "Our accountant {contact} says the Stripe clearing account is out by exactly the Stripe fees since the beginning of the month. Payout {payout_id}. Can you check the sync?",
        ],
        replies=[
            "Thanks, I can see it: payouts synced since {date} have the charges and the transfer but no fee line. Stripe changed how fees are reported on newer API versions and our sync isn't reading them yet. As a workaround, add the fee as an adjustment line when you reconcile the payout (Bank charges account). We're fixing the sync and will backfill the missing fee lines.",
            "Sorry about that. This affects Stripe accounts on the newer Stripe API version: the fee is no longer attached to the payout in the way our sync expects. Engineering is on it (INT-774). Until then, record the fee with an adjustment when you reconcile; once the fix is out we'll add the missing fee entries and you can remove your adjustments.",
        ],
        resolution=dict(
            summary="Stripe sync stopped creating fee lines for payouts on newer Stripe API versions; fees recorded as reconciliation adjustments until the sync fix and backfill.",
            cause="Sync reads fees from a field Stripe no longer populates on newer API versions (INT-774).",
            steps=["Confirm the Stripe account API version", "Record fees as adjustment lines when reconciling payouts", "Link ticket to INT-774 for the backfill"],
        ),
        notes=["Stripe account on API 2026-08 version, matches INT-774."],
    ),
    dict(
        label="csv-import-ddmmyyyy",
        title="CSV import rejects dates in DD/MM/YYYY",
        kind=GAP, article=None, count=9,
        category="Getting started", tags=["import", "csv", "dates"],
        weeks=[1, 1, 2, 1, 1, 1, 1, 1],
        priority={"normal": 6, "low": 3, "high": 1},
        escalate=0.0, reopen=0.1,
        subjects=[
            "CSV import: invalid date",
            "Import rejects DD/MM/YYYY dates",
            "csv import date format",
            "Historic invoice import - dates wrong",
        ],
        messages=[
            "Importing invoices from CSV fails: 'Invalid date in row 2: 31/01/2026'. Our dates are DD/MM/YYYY like everywhere in {country_name}.",
            "csv import rejects my dates. 13/10/2026 'not a valid date'. Why does it assume the american format?",
            "Trying to import historic invoices from our old system (the export is CSV with dates like 05/11/2026). Ledgerly imports them as 11 May instead of 5 November, and rejects the ones where the day is above 12.",
            "The CSV importer for invoices doesn't let me choose a date format. Is DD/MM/YYYY supported at all?",
            "import error row {n}: invalid issue_date '{ddmm}'. the file came straight out of our previous software.",
        ],
        replies=[
            "Thanks for the file details. The invoice importer currently only reads dates as YYYY-MM-DD or MM/DD/YYYY, so day-first dates are either rejected or read the wrong way round. Until a date-format option is added, please convert the date columns: in Excel select the column, Format Cells > Custom, type yyyy-mm-dd, save as CSV and import again.",
            "Sorry, day-first dates aren't supported by the importer yet; I've added your vote to the feature request. The quickest fix is to reformat the date columns as yyyy-mm-dd in your spreadsheet before importing. Check the preview before confirming - any date that was read as month-first will be visible there.",
        ],
        resolution=dict(
            summary="Invoice CSV importer only accepts YYYY-MM-DD or MM/DD/YYYY; customer reformatted dates to ISO before importing.",
            cause="No date-format option in the invoice importer; day-first dates are rejected or misread (IMP-96).",
            steps=["Reformat date columns as yyyy-mm-dd", "Save as UTF-8 CSV and re-import", "Check the preview for swapped day/month", "Add customer to IMP-96"],
        ),
        notes=[],
    ),
]

GROUPS = GAP_GROUPS + COVERED_GROUPS
__all__ = ["COVERED", "GAP", "GROUPS"]

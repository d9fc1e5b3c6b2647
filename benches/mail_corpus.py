#!/usr/bin/env python3
"""A reproducible corpus of realistic enquiry mails for the ingest benchmark.

    python3 benches/mail_corpus.py OUT_DIR [COUNT] [SEED]

writes COUNT messages (default 5,000; seed 13) into the Maildir OUT_DIR (`new/`, `cur/`,
`tmp/`). Each message is 2-3 KB like real enquiries: a greeting, one or two questions with
some context, a sign-off and a trust signature, often a quoted earlier message and a
confidentiality notice. The MIME mix: 40% text/plain (quoted-printable or 7bit), 30%
multipart/alternative (plain + HTML), 15% text/html only, 15% text/plain in base64. About 8%
are automatic replies (`Auto-Submitted: auto-replied`) and 10% follow-ups (`In-Reply-To`
an earlier message of the corpus). Addresses use example.org; no FPT facts are stated, only
asked about.

`cargo bench --bench ingest -- --corpus OUT_DIR` ingests a copy of it (see that file).
"""

import email.policy
import os
import random
import sys
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
import datetime

QUESTIONS = [
    "Can I apply for FPT if I am a GP trainee?",
    "What proportion of the week is set aside for FPT?",
    "How many capabilities per pathway do I need to cover?",
    "Is there funding available for a master's in clinical education through FPT?",
    "Can I change pathway after I have started?",
    "Who do I contact about FPT in my region?",
    "Does FPT time count towards my CCT date?",
    "My FPT day keeps getting cancelled because of rota gaps, what can I do?",
    "Is FPT available if I work less than full time?",
    "When does the application window open?",
]
CONTEXT = [
    "I am a registrar in {place} and my educational supervisor suggested I look into this.",
    "I have read the website but could not find a clear answer for my situation.",
    "My rota changes in August and I would like to plan ahead with my department.",
    "I am currently on a research placement and return to clinical work next year.",
    "Our departmental lead was not sure and asked me to check with you directly.",
]
PLACES = ["Leeds", "Newcastle", "Manchester", "Nottingham", "Birmingham", "Cambridge",
          "Bristol", "Brighton", "Oxford", "London"]
NAMES = ["Alex Morgan", "Sam Patel", "Jo Williams", "Chris Okafor", "Priya Shah",
         "Tom Evans", "Mei Chen", "Ruth Adeyemi", "Dan Murphy", "Ife Balogun"]
NOTICE = (
    "This e-mail and any attachments are confidential and intended solely for the addressee. "
    "If you have received it in error please notify the sender and delete it. Any views "
    "expressed are those of the author and not necessarily those of the organisation. "
)
FILLER = (
    "I appreciate this may already be covered elsewhere, and I am sorry if so; I would just "
    "like to be sure before I speak to my rota coordinator and my supervisor about it. "
)


def body_text(rng, i, name, place, earlier):
    qs = rng.sample(QUESTIONS, rng.choice([1, 1, 2]))
    lines = [f"Dear FPT team,", ""]
    lines.append(rng.choice(CONTEXT).format(place=place))
    lines += qs
    lines += ["", FILLER * rng.randint(4, 7), "", "Many thanks,", name,
              f"Specialty Registrar, {place} Teaching Hospitals (example)",
              f"Tel: 0000 000 {i % 1000:03d}", "", NOTICE]
    text = "\n".join(lines)
    if earlier is not None:
        quoted = "\n".join("> " + l for l in earlier.splitlines())
        text += f"\n\nOn Mon, 2 Mar 2026 at 09:00, FPT team wrote:\n{quoted}"
    return text


def html_of(text):
    paras = "".join(
        f"<p style=\"font-family:Calibri,sans-serif;font-size:11pt\">{p.replace(chr(10), '<br>')}</p>"
        for p in text.split("\n\n")
    )
    return f"<html><head><meta charset=\"utf-8\"></head><body>{paras}</body></html>"


def message(rng, i, n):
    name = rng.choice(NAMES)
    place = rng.choice(PLACES)
    sender = f"{name.split()[0].lower()}.{i % 997}@example.org"
    date = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        minutes=i
    )
    auto = rng.random() < 0.08
    follow_up = i >= 10 and not auto and rng.random() < 0.10
    earlier = None
    if follow_up:
        earlier = "Thank you for your enquiry.\n" + FILLER
    if auto:
        text = (f"I am out of the office until Monday {i % 28 + 1} March with limited access to "
                f"email.\n\n{FILLER}\n\n{name}\n\n{NOTICE}\n\n{NOTICE}")
    else:
        text = body_text(rng, i, name, place, earlier)
    kind = rng.random()
    if kind < 0.40:
        msg = EmailMessage(policy=email.policy.SMTP)
        msg.set_content(text, cte=rng.choice(["quoted-printable", "7bit"]))
    elif kind < 0.70:
        text = text[: len(text) * 2 // 3]  # the HTML copy roughly doubles it
        msg = MIMEMultipart("alternative", policy=email.policy.SMTP)
        msg.attach(MIMEText(text, "plain", "utf-8"))
        msg.attach(MIMEText(html_of(text), "html", "utf-8"))
    elif kind < 0.85:
        msg = EmailMessage(policy=email.policy.SMTP)
        msg.set_content(html_of(text), subtype="html", cte="quoted-printable")
    else:
        msg = EmailMessage(policy=email.policy.SMTP)
        msg.set_content(text, cte="base64")
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = "fpt@example.org"
    msg["Subject"] = ("Automatic reply: " if auto else "") + rng.choice(
        ["FPT question", "Query about FPT", "Flexible Portfolio Training", "FPT - advice please"]
    )
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<corpus-{i}@example.org>"
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
    if follow_up:
        parent = rng.randrange(0, i)
        msg["In-Reply-To"] = f"<corpus-{parent}@example.org>"
        msg["References"] = f"<corpus-{parent}@example.org>"
    return msg.as_bytes(policy=email.policy.SMTP)


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 13
    rng = random.Random(seed)
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    sizes = []
    for i in range(n):
        raw = message(rng, i, n)
        sizes.append(len(raw))
        with open(os.path.join(out, "new", f"{i:06d}.corpus"), "wb") as f:
            f.write(raw)
    sizes.sort()
    print(f"{n} messages in {out}/new: median {sizes[n // 2]} bytes, "
          f"10th-90th percentile {sizes[n // 10]}-{sizes[n * 9 // 10]} bytes")


if __name__ == "__main__":
    main()

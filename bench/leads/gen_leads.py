#!/usr/bin/env python3
"""Writes a deterministic CSV of leads for the import benchmark.

    gen_leads.py OUT.csv [ROWS]     (default 1,000,000 rows)

About 1% of the rows are invalid (a bad address, a bad status, a short row)
and about 1% repeat an earlier address, as a real export from another tool
would. The header uses the names people use ("E-mail", "First Name",
"Company Name", …) plus two columns that become custom fields.
"""
import random
import sys

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = random.Random(20261125)

first = ["Ann", "Bob", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
         "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena"]
last = ["Smith", "Müller", "García", "Rossi", "Dubois", "Kowalski", "Nakamura", "Okafor", "Silva", "Novak",
        "Jensen", "O'Brien", "van Dijk", "Nguyen", "Ivanova", "Haddad"]
companies = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises",
             "Wonka, Inc.", "Soylent", "Tyrell", "Cyberdyne", "Aperture \"Science\""]
titles = ["CEO", "CTO", "Head of Sales", "Marketing Manager", "Engineer", "Buyer", "Founder", "VP Operations"]
countries = ["DE", "FR", "US", "GB", "ES", "IT", "NL", "SE", "PL", "JP", "BR", "IN"]
statuses = ["new", "contacted", "replied", "interested", "not_interested", "converted", "unsubscribed", "bounced"]
industries = ["saas", "retail", "finance", "health", "logistics", "education"]
domains = ["example.com", "example.org", "mail.example.net", "corp.example"]
sites = [c.split()[0].lower().strip(',"') for c in companies]


def q(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("E-mail,First Name,Last Name,Company Name,Job Title,Phone,Website,Country,Status,Tags,Industry,Employees\r\n")
    buf = []
    emitted = []
    for i in range(rows):
        r = rng.random()
        if r < 0.01 and emitted:  # a duplicate of an earlier address
            email = emitted[rng.randrange(len(emitted))]
        else:
            email = f"{rng.choice(first).lower()}.{i}@{rng.choice(domains)}"
            if len(emitted) < 50_000:
                emitted.append(email)
            elif rng.random() < 0.05:
                emitted[rng.randrange(len(emitted))] = email
        status = rng.choice(statuses)
        fields = [email, rng.choice(first), rng.choice(last), q(rng.choice(companies)), rng.choice(titles),
                  f"+{rng.randrange(1, 99)} {rng.randrange(100, 999)} {rng.randrange(100000, 9999999)}",
                  f"https://www.{rng.choice(sites)}.example",
                  rng.choice(countries), status, q("vip,2026") if rng.random() < 0.1 else "",
                  rng.choice(industries), str(rng.randrange(1, 5000))]
        bad = rng.random()
        if bad < 0.004:
            fields[0] = email.replace("@", " at ")
        elif bad < 0.007:
            fields[8] = "hot"
        elif bad < 0.01:
            fields = fields[:5]
        buf.append(",".join(fields))
        if len(buf) == 10_000:
            f.write("\r\n".join(buf) + "\r\n")
            buf.clear()
    if buf:
        f.write("\r\n".join(buf) + "\r\n")

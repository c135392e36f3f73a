"""Import files for the benchmark, written the way real exports are.

Names repeat the way real names do (the demo's first and last names), most
LinkedIn rows have no email, and some records are people already in the
network: re-exported (same profile URL or email: an update), or with a typo
in the name at the same organization (a fuzzy merge candidate). So the
import's duplicate lookups do the work they do on a real file, not the cheap
work of names that match nobody. A few records are bad (reported by line).

The vCard file mixes 2.1, 3.0 and 4.0 cards as phones, Apple, Google and
Outlook write them: folded lines, QUOTED-PRINTABLE with charsets and soft
line breaks, bare 2.1 parameters, grouped properties with ``X-ABLabel``,
``ORG`` with units, photos (inline base64 and URI), ``BDAY`` in several forms.
"""

from __future__ import annotations

import quopri
import random
from dataclasses import dataclass
from typing import Any

from goodwill.services.demo_words import FIRST_NAMES, LAST_NAMES

TITLES = (
    "Director", "Founder", "Head of Sales", "Engineer", "Consultant", "CTO", "Partner",
    "Product Manager", "Account Executive", "Designer", "Analyst", "Owner",
)  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Known:
    """Someone already in the network, as a file might mention them again."""

    name: str
    organization: str
    email: str
    url: str


def known_people(db: Any, workspace: int, count: int = 20_000) -> list[Known]:
    """Every fifth person of the workspace (up to ``count``), with their first profile URL.
    ``db`` is a DB-API connection: Django's ``connection`` or a ``sqlite3`` one."""
    cur = db.cursor()
    cur.execute(
        "SELECT p.name, coalesce(o.name, ''), p.email, "
        "coalesce((SELECT min(c.value) FROM goodwill_channel c "
        "WHERE c.person_id = p.id AND c.kind = 'url'), '') "
        "FROM goodwill_person p LEFT JOIN goodwill_organization o ON o.id = p.organization_id "
        f"WHERE p.workspace_id = {int(workspace)} AND p.id % 5 = 0 ORDER BY p.id "
        f"LIMIT {int(count)}"
    )
    return [Known(*row) for row in cur.fetchall()]


def organizations(db: Any, workspace: int) -> list[str]:
    cur = db.cursor()
    cur.execute(
        f"SELECT name FROM goodwill_organization WHERE workspace_id = {int(workspace)} ORDER BY id"
    )
    return [r[0] for r in cur.fetchall()]


def for_network(db: Any, workspace: int, count: int, seed: int = 7) -> list[Record]:
    """``count`` records for the network in ``db`` (the same records for the same network)."""
    return records(count, known_people(db, workspace), organizations(db, workspace), seed)


def _typo(name: str, rng: random.Random) -> str:
    """One letter of the surname doubled or dropped: what a fuzzy match must still find."""
    first, _, last = name.partition(" ")
    if len(last) < 4:
        return name
    i = rng.randrange(1, len(last) - 1)
    last = last[:i] + last[i + 1 :] if rng.random() < 0.5 else last[:i] + last[i] + last[i:]
    return f"{first} {last}"


@dataclass
class Record:
    first: str
    last: str
    email: str
    url: str
    organization: str
    title: str
    day: tuple[int, int, int]  # year, month, day
    bad: str = ""  # "email" or "date": a record the import must report


def records(count: int, known: list[Known], orgs: list[str], seed: int) -> list[Record]:
    """``count`` people: 10% known (re-exported, half with a new email), 2% known with a typo
    in the surname, 0.1% bad, the rest new."""
    rng = random.Random(seed)
    new_orgs = [f"Imported Org {i}" for i in range(2000)]
    out: list[Record] = []
    for i in range(count):
        draw = rng.random()
        day = (rng.randint(2008, 2026), rng.randint(1, 12), rng.randint(1, 28))
        title = rng.choice(TITLES)
        if known and draw < 0.10:
            k = rng.choice(known)
            first, _, last = k.name.partition(" ")
            # half of them with a new email: an update that adds a channel
            email = k.email if draw < 0.05 or not k.url else f"{first}.{i}@new.example".lower()
            out.append(Record(first, last, email, k.url, k.organization, title, day))
            continue
        if known and draw < 0.12:
            k = rng.choice(known)
            first, _, last = _typo(k.name, rng).partition(" ")
            url = f"https://www.linkedin.com/in/typo-{i}"
            out.append(Record(first, last, "", url, k.organization, title, day))
            continue
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        slug = f"{first}-{last}-{i:x}".lower().replace("'", "")
        email = f"{slug}@{rng.choice(('mail', 'post', 'inbox'))}.example" if draw > 0.7 else ""
        org = rng.choice(orgs) if orgs and rng.random() < 0.5 else rng.choice(new_orgs)
        bad = ""
        if draw > 0.999:
            bad = "email" if i % 2 else "date"
        out.append(
            Record(first, last, email, f"https://www.linkedin.com/in/{slug}", org, title, day, bad)
        )
    return out


def _cell(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value


def linkedin_csv(people: list[Record]) -> bytes:
    """A Connections.csv as LinkedIn's data export writes it (note lines above the header)."""
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email '
        'addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for r in people:
        email = "not-an-email" if r.bad == "email" else r.email
        year, month, day = r.day
        date = f"31 Foo {year}" if r.bad == "date" else f"{day:02d} {MONTHS[month - 1]} {year}"
        cells = [r.first, r.last, r.url, email, r.organization, r.title, date]
        lines.append(",".join(_cell(c) for c in cells))
    return ("\n".join(lines) + "\n").encode()


def _fold(line: str) -> str:
    out, rest = [], line
    while len(rest) > 75:
        out.append(rest[:75])
        rest = " " + rest[75:]
    out.append(rest)
    return "\r\n".join(out)


def _qp(text: str) -> str:
    """QUOTED-PRINTABLE as 2.1 phones write it, soft line breaks included."""
    return quopri.encodestring(text.encode()).decode().replace("\n", "\r\n")


_PHOTO = "/9j/4AAQSkZJRgABAQEASABIAAD/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAABAAEAAIdpAAQAAAAB" * 4


def _escape(text: str) -> str:
    """A text value as vCard 3.0 and 4.0 escape it."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _card(r: Record, i: int, rng: random.Random) -> str:
    year, month, day = r.day
    email = "not-an-email" if r.bad == "email" else r.email
    phone = f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    note = (
        f"Met {r.first} at a conference in {year}; follow up about the "
        f"{r.title.lower()} role and the introduction they asked for last spring."
    )
    kind = i % 4
    if kind == 0:  # 2.1, as older phones and Outlook write it
        name = r.first + (" Müller" if i % 8 == 0 else f" {r.last}")
        family = name.split(" ", 1)[1]
        lines = [
            "BEGIN:VCARD", "VERSION:2.1",
            f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(f'{family};{r.first};;;')}",
            f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(name)}",
            f"TEL;WORK;VOICE:{phone}",
        ]  # fmt: skip
        if email:
            lines.append(f"EMAIL;INTERNET;PREF:{email}")
        lines += [
            f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(r.organization)}",
            f"TITLE:{r.title}",
            f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:{_qp(note + ' Straße, 5 €.')}",
        ]
        if r.url:
            lines.append(f"URL:{r.url}")
        if r.bad == "date":
            lines.append("BDAY:not a date")
        else:
            lines.append(f"BDAY:{year - 30}{month:02d}{day:02d}")
        if i % 16 == 0:
            lines.append(_fold(f"PHOTO;ENCODING=BASE64;TYPE=JPEG:{_PHOTO}") + "\r\n")
    elif kind == 1:  # 3.0, as Apple writes it
        lines = [
            "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.0//EN",
            f"N:{r.last};{r.first};;;", f"FN:{r.first} {r.last}",
            f"ORG:{r.organization};Sales",
            f"TITLE:{r.title}",
        ]  # fmt: skip
        if email:
            lines += [
                f"item1.EMAIL;type=INTERNET;type=pref:{email}",
                "item1.X-ABLabel:_$!<Work>!$_",
            ]
        if r.url:
            lines += [f"item2.URL;type=pref:{r.url}", "item2.X-ABLabel:LinkedIn"]
        lines += [
            f"TEL;type=CELL;type=VOICE;type=pref:{phone}",
            "ADR;type=WORK:;;12 Main Street;Lisbon;;;Portugal",
            _fold(f"NOTE:{_escape(note)}"),
            "BDAY:not a date" if r.bad == "date" else f"BDAY:{year - 30}-{month:02d}-{day:02d}",
        ]
        if i % 16 == 1:
            lines.append("PHOTO;VALUE=uri:https://example.test/photos/p.jpg")
    elif kind == 2:  # 3.0, as Google writes it
        lines = [
            "BEGIN:VCARD", "VERSION:3.0", f"FN:{r.first} {r.last}", f"N:{r.last};{r.first};;;",
        ]  # fmt: skip
        if email:
            lines.append(f"EMAIL;TYPE=INTERNET;TYPE=WORK:{email}")
        lines += [
            f"TEL;TYPE=CELL:{phone}",
            f"ORG:{r.organization}",
            f"TITLE:{r.title}",
            *([f"URL:{r.url}"] if r.url else []),
            "CATEGORIES:myContacts,imported",
            "BDAY:not a date" if r.bad == "date" else f"BDAY:--{month:02d}{day:02d}",
        ]
    else:  # 4.0
        lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{r.first} {r.last}", f"N:{r.last};{r.first};;;"]
        if email:
            lines.append(f"EMAIL;TYPE=work:{email}")
        lines += [
            f'TEL;VALUE=uri;TYPE="voice,cell":tel:{phone.replace(" ", "-")}',
            f"ORG:{r.organization}",
            *([f"URL;TYPE=linkedin:{r.url}"] if r.url else []),
            _fold(f"NOTE:{_escape(note)}"),
            "BDAY:not a date" if r.bad == "date" else f"BDAY:{year - 30}{month:02d}{day:02d}",
        ]
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vcards(people: list[Record], seed: int) -> bytes:
    """One .vcf of a card per record (card i: 2.1, Apple 3.0, Google 3.0, 4.0 in turn)."""
    rng = random.Random(seed)
    return "".join(_card(r, i, rng) for i, r in enumerate(people)).encode()

"""Each format's parser on fixtures with the tricky cases, and fuzzed with arbitrary bytes."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goodwill.io import PARSERS, Parsed, UnreadableFile, vcard
from goodwill.io.csvmap import guess_mapping
from goodwill.io.records import decode, parse_any_date, sniff_delimiter
from goodwill.io.vcard_writer import CardPerson, fold, write

FIXTURES = Path(__file__).parent / "fixtures"


def parse(kind: str, name: str, **kw: object) -> Parsed:
    return PARSERS[kind]((FIXTURES / name).read_bytes(), **kw)


def by_name(parsed: Parsed) -> dict[str, object]:
    return {c.name: c for c in parsed.contacts}


def test_linkedin_skips_the_notes_above_the_header_and_reads_its_dates():
    parsed = parse("linkedin", "Connections.csv")
    ada = by_name(parsed)["Ada Lovelace"]
    assert ada.connected_on == dt.date(2023, 3, 7)
    assert ada.urls == [("https://www.linkedin.com/in/ada-lovelace", "linkedin")]
    assert ada.fields["source"] == "linkedin" and ada.fields["stage"] == "connected"
    assert ada.line == 5  # the physical line in the file, notes included


def test_linkedin_keeps_quoted_commas_and_accents_and_allows_empty_emails():
    people = by_name(parse("linkedin", "Connections.csv"))
    assert people["Grace Hopper"].organization == "US Navy, Reserve"
    assert people["Grace Hopper"].emails == []
    assert people["José Núñez"].title == 'Dueño "el jefe"'


def test_linkedin_reports_a_bad_date_on_its_line():
    bad = [c for c in parse("linkedin", "Connections.csv").contacts if c.error]
    assert any(c.line == 11 and "31 Foo 2020" in c.error for c in bad)


def test_a_file_without_the_linkedin_header_is_unreadable():
    with pytest.raises(UnreadableFile, match="LinkedIn"):
        PARSERS["linkedin"](b"name,email\nA,a@b.test\n")


def test_vcard_21_quoted_printable_with_soft_breaks_and_charsets_decodes():
    jurgen = parse("vcard", "contacts.vcf").contacts[0]
    assert jurgen.name == "Jürgen Müller"
    assert jurgen.organization == "Müller GmbH"  # ISO-8859-1 charset parameter
    assert jurgen.notes.endswith("long walks and €-denominated jokes")
    assert ("+49 30 123456", "work") in jurgen.phones  # bare 2.1 parameters
    assert jurgen.birthday == dt.date(1970, 4, 12)


def test_vcard_grouped_properties_take_their_apple_labels():
    amara = parse("vcard", "contacts.vcf").contacts[1]
    assert amara.emails == ["amara@lagoshealth.test", "amara.okafor@home.test"]
    assert amara.urls == [("https://www.linkedin.com/in/amara-okafor/", "linkedin")]
    assert amara.organization == "Lagos Health" and "Cardiology" in amara.fields["personal"]
    assert amara.location == "Lagos, Nigeria"
    assert "\n" in amara.notes and "telemedicine, wants" in amara.notes


def test_vcard_photos_are_skipped_never_fatal_and_counted():
    parsed = parse("vcard", "contacts.vcf")
    assert parsed.notes == ["2 photo(s) skipped"]
    assert not parsed.contacts[0].error and not parsed.contacts[1].error


def test_vcard_40_folded_lines_yearless_birthdays_and_categories():
    priya = parse("vcard", "contacts.vcf").contacts[2]
    assert "seventy-five octets is joined" in priya.notes
    assert priya.birthday is None and "birthday 07-04" in priya.fields["personal"]
    assert priya.tags == ["design", "friends"]
    assert priya.phones == [("+1-555-555-0142", "cell")]


def test_vcard_contacts_with_only_an_organization_or_only_an_email_get_a_name():
    contacts = parse("vcard", "contacts.vcf").contacts
    assert contacts[3].name == "Northwind Traders"
    assert contacts[4].name == "someone@only-email.test"


def test_vcard_a_bad_card_is_reported_by_its_number():
    assert parse("vcard", "contacts.vcf").contacts[5].error.startswith("card 6:")


# commas.vcf: single-valued text written with bare commas, as phones, Outlook, older
# Google exports and vCard 2.1 write it; 2.1 plain, 2.1 QUOTED-PRINTABLE, 3.0, 4.0.
@pytest.fixture(params=["fast path", "vobject"])
def commas(request) -> list:
    data = (FIXTURES / "commas.vcf").read_bytes()
    if request.param == "vobject":
        with mock.patch.object(vcard, "_read_plain", lambda lines: None):
            return PARSERS["vcard"](data).contacts
    read_plain, seen = vcard._read_plain, []

    def spy(lines: list[str]) -> object:
        seen.append(read_plain(lines))
        return seen[-1]

    with mock.patch.object(vcard, "_read_plain", spy):
        contacts = PARSERS["vcard"](data).contacts
    assert len(seen) == len(contacts) and None not in seen  # every card took the fast path
    return contacts


def test_vcard_21_keeps_bare_commas_in_note_name_title_and_organization(commas):
    ines = commas[0]
    assert ines.notes == "Met at the Lisbon summit, likes sailing, two kids"
    assert (ines.name, ines.title) == ("Costa, Inês", "Head of Sales, Iberia")
    assert ines.organization == "Mar Azul, Lda."
    assert ines.fields["personal"] == "department: Sales, Lisbon office"
    assert ines.tags == ["sailing", "lisbon"]  # a list property still splits


def test_vcard_21_quoted_printable_keeps_bare_commas_across_soft_breaks(commas):
    jurgen = commas[1]
    assert jurgen.notes == "Café owner in Porto, knows everyone, call after 6"
    assert (jurgen.name, jurgen.title) == ("Müller, Jürgen", "Leiter, Einkäufe")
    assert jurgen.tags == ["käse", "wine"]


def test_vcard_30_keeps_bare_commas_and_reads_escaped_ones_as_one_comma(commas):
    amara = commas[2]
    assert amara.notes == "Likes tea, not coffee, plays chess\nsaves files in C:\\data\\, daily"
    assert (amara.name, amara.title) == ("Dr. Amara Okafor, PhD", "VP, Research, West Africa")
    assert amara.location == "Lagos, Lagos Island, Nigeria"
    assert amara.phones == [("+234 803 555 0199", "office, lagos")]  # X-ABLabel
    assert amara.tags == ["health", "work,life"]


def test_vcard_40_keeps_bare_commas_in_folded_and_parameterised_values(commas):
    priya = commas[3]
    assert priya.notes == (
        "Introduced by Sam, wants to meet investors in Berlin, Paris and Milan, follow up in May"
    )
    assert (priya.name, priya.title) == ("Raman, Priya", "Partner, Strategy, Tiles & Co")
    assert priya.organization == "Tiles, Inc."
    assert priya.tags == ["design", "friends"]


def test_vcard_name_from_n_keeps_its_commas(commas):
    assert commas[4].name == "Jean Dupont, Jr."


def test_google_csv_reads_multiple_values_labels_and_multiline_notes():
    sofia = by_name(parse("google", "google.csv"))["Sofia Rossi"]
    assert sofia.emails == ["sofia@pay.test", "sofia.rossi@home.test"]
    assert [p for p, _ in sofia.phones] == ["+39 333 555 0101", "+39 02 555 0102"]
    assert sofia.tags == ["Fintech"]  # the system label "* myContacts" is dropped
    assert sofia.notes == "Met at the\nfintech meetup"
    assert sofia.organization == "Pay Capital" and sofia.title == "CFO"


def test_google_csv_counts_lines_after_a_multiline_cell():
    lines = {c.name: c.line for c in parse("google", "google.csv").contacts}
    assert lines["Kenji Sato"] == 4


def test_any_csv_sniffs_semicolons_and_windows_1252_and_guesses_the_mapping():
    parsed = parse("csv", "custom.csv")
    assert parsed.mapping["Full name"] == "name" and parsed.mapping["E-mail"] == "email"
    assert parsed.contacts[0].name == "Zoë Faßbender"
    assert parsed.mapping["Notizen"] == ""  # not guessed: German for notes


def test_any_csv_map_option_overrides_the_guess():
    parsed = parse("csv", "custom.csv", mapping=["Firma=organization", "Notizen=notes"])
    assert parsed.contacts[0].organization == "Kaffee Rösterei"
    assert parsed.contacts[0].notes == "trinkt gern Café"


@pytest.mark.parametrize("item", ["Nope=name", "Full name=shoe size", "no-equals"])
def test_any_csv_rejects_a_map_to_an_unknown_column_or_field(item):
    with pytest.raises(UnreadableFile, match="map"):
        parse("csv", "custom.csv", mapping=[item])


def test_guess_mapping_recognises_common_headers():
    guess = guess_mapping(["First Name", "Surname", "Email Address", "Company", "Mobile Phone"])
    assert guess == {
        "First Name": "first_name",
        "Surname": "last_name",
        "Email Address": "email",
        "Company": "organization",
        "Mobile Phone": "phone",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"   \n", "empty"), (b"\x00\x01\x02PK\x03\x04" * 20, "binary")],
)
def test_empty_and_binary_files_are_unreadable(data, message):
    for parser in PARSERS.values():
        with pytest.raises(UnreadableFile, match=message):
            parser(data)


def test_decode_handles_bom_utf16_and_windows_1252():
    assert decode(b"\xef\xbb\xbfname") == "name"
    assert decode("Zoë".encode("utf-16")) == "Zoë"
    assert decode("Café €".encode("cp1252")) == "Café €"


def test_sniff_delimiter_ignores_delimiters_inside_quotes():
    assert sniff_delimiter('"a,b";c;d') == ";"
    assert sniff_delimiter("a\tb\tc") == "\t"


@pytest.mark.parametrize(
    "text",
    [
        "2023-03-07",
        "20230307",
        "07 Mar 2023",
        "Mar 7, 2023",
        "7 March 2023",
        "2023-03-07T00:00:00Z",
    ],
)
def test_parse_any_date_reads_the_forms_files_use(text):
    assert parse_any_date(text) == dt.date(2023, 3, 7)


def test_vcard_writer_folds_long_lines_at_75_octets_without_splitting_characters():
    line = "NOTE:" + "é" * 100
    for piece in fold(line).split("\r\n"):
        assert len(piece.encode()) <= 75
    assert fold(line).replace("\r\n ", "") == line


def test_vcard_writer_output_with_commas_parses_back_whole_on_both_paths():
    person = CardPerson(
        name="Costa, Inês",
        organization="Mar Azul, Lda.",
        title="Head of Sales, Iberia",
        notes="Met at the Lisbon summit, likes sailing\\, a lot,\nand tea",
        tags=["a,b", "c"],
    )
    data = write([person]).encode()
    fast = PARSERS["vcard"](data).contacts[0]
    with mock.patch.object(vcard, "_read_plain", lambda lines: None):
        slow = PARSERS["vcard"](data).contacts[0]
    assert fast == slow
    assert (fast.name, fast.organization, fast.title, fast.notes, fast.tags) == (
        person.name, person.organization, person.title, person.notes, person.tags
    )  # fmt: skip


def test_vcard_writer_output_parses_back_with_the_same_fields():
    text = write(
        [CardPerson(name="Ana; de la, Cruz", emails=[("ana@x.test", "work")], notes="a\nb")]
    )
    back = PARSERS["vcard"](text.encode()).contacts[0]
    assert (
        back.name == "Ana; de la, Cruz" and back.emails == ["ana@x.test"] and back.notes == "a\nb"
    )


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_a_parser_with_anything_but_unreadable_file(kind, data):
    try:
        parsed = PARSERS[kind](data)
    except UnreadableFile:
        return
    assert all(isinstance(c.line, int) for c in parsed.contacts)


VCARD_LINES = st.sampled_from(
    ["BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", "FN:A", "N:;;;;", "EMAIL:x",
     "TEL;WORK:1", "NOTE;ENCODING=QUOTED-PRINTABLE:a=", "=C3=", " folded", "item1.X-ABLabel:x",
     "PHOTO;ENCODING=b:AAA", "ORG:;;", "BDAY:--13", "ADR:;;;", ":", ";;", "X:\\"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(VCARD_LINES | st.text(max_size=20), max_size=25))
def test_vcard_like_garbage_never_crashes_the_vcard_parser(lines):
    with contextlib.suppress(UnreadableFile):
        PARSERS["vcard"]("\r\n".join(lines).encode())


# Cards made of the pieces real files use and the characters vobject treats specially
# (escapes, separators, quotes in parameters), to compare the fast path with vobject.
# Both read what the pre-pass gives them, bare commas in text properties escaped.
_CARD_TEXT = st.text(alphabet='ab \\,;:="nNé-', max_size=12)
_CARD_PARAM = st.builds(
    lambda key, value: f";{key}={value}",
    st.sampled_from(["TYPE", "type", "X-A", "VALUE", "CHARSET", "ENCODING", "PREF"]),
    st.sampled_from(["work", "INTERNET", '"voice,cell"', "a,b", "", "QUOTED-PRINTABLE", "b"])
    | _CARD_TEXT,
)
_CARD_LINE = st.builds(
    lambda group, name, params, value: f"{group}{name}{''.join(params)}:{value}",
    st.sampled_from(["", "item1.", "Item2."]),
    st.sampled_from(
        [
            "FN",
            "N",
            "EMAIL",
            "TEL",
            "URL",
            "ORG",
            "TITLE",
            "NOTE",
            "ADR",
            "CATEGORIES",
            "BDAY",
            "X-ABLabel",
            "X-FOO",
            "PRODID",
            "UID",
            "LABEL",
            "VERSION",
            "GEO",
            "BEGIN",
            "END",
        ]
    ),  # fmt: skip
    st.lists(_CARD_PARAM, max_size=3),
    _CARD_TEXT | st.sampled_from(["1985-04-12", "--0412", "Doe;Jane;;Dr.;", "_$!<Work>!$_"]),
)


def _read_vcards(text: str) -> Parsed | str:
    try:
        return PARSERS["vcard"](text.encode())
    except UnreadableFile as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(cards=st.lists(st.lists(_CARD_LINE, max_size=8), min_size=1, max_size=4))
def test_vcard_fast_path_reads_every_card_exactly_as_vobject_does(cards):
    text = "".join(
        "BEGIN:VCARD\r\n" + "".join(f"{x}\r\n" for x in c) + "END:VCARD\r\n" for c in cards
    )
    fast = _read_vcards(text)
    with mock.patch.object(vcard, "_read_plain", lambda lines: None):  # vobject reads all
        slow = _read_vcards(text)
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab ,;\\\nNé", max_size=16),
    name=st.sampled_from(["NOTE", "FN", "TITLE", "X-ABLabel"]),
    version=st.sampled_from(["2.1", "3.0", "4.0"]),
    escape_commas=st.booleans(),
)
def test_vcard_text_reads_back_whole_whether_its_commas_are_escaped_or_not(
    text, name, version, escape_commas
):
    value = text.replace("\\", "\\\\").replace(";", "\\;").replace("\n", "\\n")
    if escape_commas:
        value = value.replace(",", "\\,")
    data = (
        f"BEGIN:VCARD\r\nVERSION:{version}\r\nitem1.TEL:1\r\nitem1.{name}:{value}\r\nEND:VCARD\r\n"
    )
    fast = _read_vcards(data)
    with mock.patch.object(vcard, "_read_plain", lambda lines: None):
        slow = _read_vcards(data)
    assert fast == slow
    assert isinstance(fast, Parsed)
    read = {
        "NOTE": fast.contacts[0].notes,
        "FN": fast.contacts[0].name,
        "TITLE": fast.contacts[0].title,
        "X-ABLabel": fast.contacts[0].phones[0][1],
    }[name]
    assert read == (text.strip().lower() if name == "X-ABLabel" else text.strip())

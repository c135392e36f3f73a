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

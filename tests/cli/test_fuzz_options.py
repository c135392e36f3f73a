"""Every CLI value that is parsed (dates, counts, days, amounts, currencies,
origins, statuses, kinds, --map specs, references, ...) fuzzed with hypothesis.

Each case runs one command with arbitrary text in one place and everything else
valid. Whatever the text: the exit code is 0 or 2, never 1; an exit 2 prints one
line, ``error: ...``, and leaves every table as it was. The text is what a shell
can pass: any bytes but NUL, so also bytes that are not UTF-8 (Python sees those
as surrogates).

Not fuzzed: --db (any text is a file to create), serve --port/--threads (a valid
one starts a server), backup/restore FILE (paths to write or read) and merge
(a valid pair removes a person the other cases use).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.db.models import Membership
from goodwill.services.accounts import create_user
from goodwill.services.context import local_actor
from tests.reporting import report

EXAMPLES = 15
CAROL, PAUL = "carol@acme.test", "paul@partners.test"

# What a shell can pass: any bytes but NUL (decoded as Python decodes argv), any
# text, and values near the edges of what the parsers accept.
EDGES = [
    "", " ", "-", "--", "0", "-1", "1", "7", "2.5", "1e999", "nan", "inf", "-inf", "9" * 40,
    "1,000.005", "today", "yesterday", "-3d", "-99999999999d", "2026-02-30", "9999-12-31",
    "0000-01-01", "2026-11-23T10:00", "yes", "no", "=", "a=b", "=x", "Name=", "inner=abc",
    "client=-1", "usd", "EUR", "XXX", "€", "won", "lost", "open", "gave", "received",
    "referral", "meeting", "linkedin", "csv", "viewer", "owner", "read", "write", "carol",
    "c", "%s", "{}", "' OR 1=1 --", "<script>", "\n", "a\nb", "\t", "\u202e", "\udcff",
]  # fmt: skip
ARGV_TEXT = st.one_of(
    st.sampled_from(EDGES),
    st.text(st.characters(exclude_characters="\x00"), max_size=40),
    st.binary(max_size=40).map(lambda b: os.fsdecode(b.replace(b"\x00", b""))),
    st.from_regex(r"-?[0-9]{1,12}(\.[0-9]{1,4})?[dD]?", fullmatch=True),
    st.from_regex(r"[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}", fullmatch=True),
)

Args = Callable[[dict[str, str], str], list[str]]
GROUPED = {"commitment", "event", "team", "token", "user"}  # commands with subcommands


def _opts(*command: str, options: str) -> dict[str, Args]:
    """``command --OPTION=VALUE`` for each of the space-separated ``options``."""
    name = " ".join(command[:2] if command[0] in GROUPED else command[:1])
    return {
        f"{name} --{o}": (lambda ids, v, o=o: [*command, f"--{o}={v}"]) for o in options.split()
    }


def _keep_date(ids: dict[str, str], v: str) -> list[str]:
    return ["commitment", "keep", ids["commitment"], f"--date={v}"]


# Where the value goes in each case; ``--`` keeps a positional value that starts
# with a dash from being read as an option.
GROUPS: dict[str, dict[str, Args]] = {
    "people": {
        "add NAME": lambda ids, v: ["add", "--", v],
        **_opts("add", "Fuzz Person", options="email role tier stage source cadence birthday"),
        **_opts("add", "Fuzz Person", options="interesting enjoy mutual tag phone url"),
        **_opts("add", "Fuzz Person", options="introduced-by"),
        **_opts("people", options="stage role limit offset search"),
        "show PERSON": lambda ids, v: ["show", "--", v],
        "log KIND": lambda ids, v: ["log", "--", CAROL, v],
        **_opts("log", CAROL, "call", options="date by quality"),
        "stage STAGE": lambda ids, v: ["stage", "--", CAROL, v],
        "search QUERY": lambda ids, v: ["search", "--", v],
        **_opts("search", "x", options="limit"),
    },
    "daily discipline": {
        **_opts("today", options="count date"),
        **_opts("done", PAUL, options="kind"),
        **_opts("snooze", PAUL, options="days"),
        **_opts("overdue", options="limit"),
        **_opts("commitment", "add", CAROL, "send deck", options="due by"),
        "commitment keep ID": lambda ids, v: ["commitment", "keep", "--", v],
        "commitment keep --date": _keep_date,
        **_opts("cadence", options="set"),
        **_opts("digest", options="count"),
    },
    "value": {
        "favour DIRECTION": lambda ids, v: ["favour", "--", CAROL, v, "advice"],
        "favour KIND": lambda ids, v: ["favour", "--", CAROL, "gave", v],
        **_opts("favour", CAROL, "gave", "advice", options="value date"),
        **_opts("ledger", options="flag"),
        "deal AMOUNT": lambda ids, v: ["deal", "--", CAROL, v],
        **_opts("deal", CAROL, "100", options="status date origin currency referrer event"),
        "deal-status ID": lambda ids, v: ["deal-status", "--", v, "won"],
        "deal-status STATUS": lambda ids, v: ["deal-status", "--", ids["deal"], v],
        "deal-status --date": lambda ids, v: ["deal-status", ids["deal"], "lost", f"--date={v}"],
        **_opts("deals", options="year status"),
        **_opts("review", options="year"),
    },
    "funnel and events": {
        **_opts("funnel", options="by"),
        **_opts("targets", options="limit"),
        **_opts("event", "add", "Fair", "--date=2026-12-01", options="hours target"),
        **_opts("event", "add", "Fair", "--date=2026-12-01", options="target-criteria"),
        "event add --date": lambda ids, v: ["event", "add", "Fair", f"--date={v}"],
        **_opts("event", "met", "Summit", options="new"),
        **_opts("event", "met", "Summit", CAROL, options="interesting"),
        "event prep EVENT": lambda ids, v: ["event", "prep", "--", v],
    },
    "introductions": {
        **_opts("intros", options="limit"),
        **_opts("intro", CAROL, PAUL, options="status date"),
        **_opts("introductions", options="status follow-up"),
        **_opts("path", PAUL, options="alternatives"),
    },
    "import, export, team, demo": {
        "import KIND": lambda ids, v: ["import", "--dry-run", "--", v, ids["csv"]],
        "import --map": lambda ids, v: ["import", "csv", ids["csv"], f"--map={v}"],
        "export FORMAT": lambda ids, v: ["export", "--", v],
        **_opts("duplicates", options="limit"),
        **_opts("team", "invite", options="role days"),
        "team role ROLE": lambda ids, v: ["team", "role", "--", "mallory@example.com", v],
        "team role EMAIL": lambda ids, v: ["team", "role", "--", v, "viewer"],
        **_opts("token", "create", "--user=mallory@example.com", options="scope"),
        "token revoke ID": lambda ids, v: ["token", "revoke", "--", v],
        "user add EMAIL": lambda ids, v: ["user", "add", "--password=long passphrase", "--", v],
        **_opts("demo", options="people seed"),
        "migrate-to URL": lambda ids, v: ["migrate-to", "--", v],
    },
}


def _rows() -> list[list[tuple[Any, ...]]]:
    """Every row of every table goodwill writes."""
    models = [*apps.get_app_config("goodwill").get_models(), get_user_model()]
    return [list(m._base_manager.order_by("pk").values_list()) for m in models]


@pytest.fixture
def world(cli: Any, tmp_path: Any) -> dict[str, Any]:
    """The local workspace with people, an event, a deal, a commitment and a member."""
    for args in (
        ["add", "Carol Client", "--email", CAROL, "--role", "client"],
        ["add", "Paul Partner", "--email", PAUL, "--role", "partner", "--offers", "tax"],
        ["event", "add", "Summit", "--date", "2026-11-01"],
        ["log", CAROL, "meeting", "--date", "-30d", "--note", "review"],
    ):
        assert cli(*args).code == 0, args
    deal = cli("deal", CAROL, "1200", "--json").json["id"]
    commitment = cli("commitment", "add", CAROL, "send deck", "--json").json["id"]
    create_user(email="owner@example.com", password="correct horse battery")  # adopts local
    mallory = create_user(email="mallory@example.com", password="correct horse battery")
    Membership.objects.create(workspace=local_actor().workspace, user=mallory, role="member")
    csv = tmp_path / "contacts.csv"
    csv.write_text("name,email,company\nFuzzy Contact,fuzzy@example.test,Fuzz Inc\n")
    return {"deal": str(deal), "commitment": str(commitment), "csv": str(csv)}


def _fuzz(cli: Any, world: dict[str, str], build: Args, outcomes: dict[int, int]) -> Any:
    """A hypothesis test of one case: the value in ``build``'s place is arbitrary."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(value=ARGV_TEXT)
    def run(value: str) -> None:
        args = build(world, value)
        with transaction.atomic():  # each example starts from the same network
            before = _rows()
            r = cli(*args)
            assert r.code in (0, 2), f"exit {r.code}: {r.err.strip()}"
            outcomes[r.code] += 1
            if r.code == 2:
                assert r.err.startswith("error: ") and r.err.count("\n") == 1, r.err
                assert _rows() == before, "an exit 2 changed the database"
            transaction.set_rollback(True)

    return run


@pytest.mark.parametrize("group", GROUPS)
def test_any_text_in_a_parsed_cli_value_is_exit_0_or_a_one_line_exit_2(cli, world, group):
    cases = GROUPS[group]
    outcomes = {0: 0, 2: 0}
    failures: list[str] = []
    for case, build in cases.items():
        try:
            _fuzz(cli, world, build, outcomes)()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001  (collect all, then fail)
            failures.append(f"{case}: {exc}".splitlines()[0])
            failures.extend("    " + line for line in str(exc).splitlines()[1:6])
    assert not failures, "\n".join(failures)
    report(
        f"cli fuzz ({group})",
        f"{len(cases)} parsed values, {sum(outcomes.values())} hypothesis examples: "
        f"{outcomes[0]} exit 0, {outcomes[2]} one-line exit 2 with nothing written, 0 exit 1",
    )

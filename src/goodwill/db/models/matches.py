"""Stored need → offer matches: derived data, rebuilt whenever it is stale.

Matching the whole network (core/matching.py) fits a model over every phrase, so
the daily plan and the introductions pages read its result from NeedMatch rather
than matching on every request. Database triggers (migration 0005) bump
``MatchIndex.version`` in the same transaction as any change that can alter a
match: a person added or deleted with needs or offers, needs or offers edited,
someone let go or taken back. Whatever writes it (a service, an import, a bulk
load, the admin, raw SQL), the stored matches are rebuilt on next use when
``built_version`` lags (services/matches.py). Derived tables are neither exported
nor copied by ``migrate-to``: they are rebuilt where they are needed.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

from .accounts import Workspace
from .network import Person, WorkspaceOwned


class MatchIndex(models.Model):
    """One row per workspace: the stored matches are current when built_version == version."""

    DERIVED = True

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField(default=0)
    built_version = models.BigIntegerField(null=True, blank=True)
    built_with = models.CharField(max_length=40, blank=True)  # the matcher's version
    built_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)  # people matched in the last build
    seconds = models.FloatField(default=0)  # how long the last build took


class NeedMatch(WorkspaceOwned):
    """``need_person`` needs something ``offer_person`` offers (their best few per need person)."""

    DERIVED = True

    need_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    offer_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    need = models.TextField()
    offer = models.TextField()
    shared_terms = models.JSONField(default=list)
    links = models.JSONField(default=list)  # [concept, need words, offer words]

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "need_person"]),
            models.Index(fields=["workspace", "offer_person"]),
        ]


class PersonChange(models.Model):
    """A person whose place in the overdue list may have changed: written only by the
    triggers of migration 0009, in the same transaction as the change (last contact,
    cadence, stage, role or tier; a referral; a deal's client, referrer, amount or
    status; the person added or deleted). services/overdue.py brings the overdue
    list it keeps in memory up to date from these rows instead of recomputing it.
    On PostgreSQL each row also carries its transaction id (``xid``, not a field
    here): a reader reads again what a transaction still open may yet commit.

    The workspace is a plain number, not a foreign key: deleting a workspace deletes
    its people, whose triggers write rows here while the workspace goes; they age out
    like any other."""

    DERIVED = True

    workspace_id = models.BigIntegerField()
    person_id = models.BigIntegerField()
    at = models.DateTimeField(db_default=Now())  # kept KEEP_DAYS, then pruned

    class Meta:
        indexes = [
            models.Index(fields=["workspace_id", "id"]),
            models.Index(fields=["workspace_id", "at"]),
        ]


class OutreachDay(WorkspaceOwned):
    """How many interactions I initiated that were not a pitch, per workspace, member
    (0: not attributed) and day: the heat map and the streak read a few rows instead
    of counting every interaction. Written only by the triggers of migration 0010, in
    the same transaction as the interaction (added, deleted or changed), whatever
    writes it."""

    DERIVED = True

    member_id = models.BigIntegerField(default=0)
    date = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "member_id", "date"], name="outreach_day_once"
            )
        ]


class PeopleCount(WorkspaceOwned):
    """How many people a workspace has: the people list's total reads one row instead
    of counting 100,000 index entries on every page (3-7 ms). Written only by the
    triggers of migration 0013, in the same transaction as people are added or
    deleted, whatever adds or deletes them. Bulk loads write it once at their end
    (db.deferred.derived_deferred). No row: no one was ever added."""

    DERIVED = True

    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"], name="people_count_once")]

"""People, organizations, tags, channels and the funnel history."""

from __future__ import annotations

from django.db import models

from .accounts import Workspace
from .choices import ChannelKind, Role, Source, Stage, Tier

DATED_INDEX = "goodwill_person_dated_idx"  # people with a birthday or anniversary
ID_NAME_INDEX = "goodwill_person_id_name_idx"  # (id, workspace, name): matches sorted by name


class WorkspaceOwned(models.Model):
    """Every row belongs to a workspace; services scope every query by it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Organization(WorkspaceOwned):
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=30, blank=True)  # e.g. "1-10", "11-50"
    website = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="org_name_per_workspace")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(WorkspaceOwned):
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_name_per_workspace")
        ]

    def __str__(self) -> str:
        return self.name


class Person(WorkspaceOwned):
    name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True, db_index=True)  # primary email
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField(max_length=200, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OTHER)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.NETWORK)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED)
    source = models.CharField(max_length=15, choices=Source.choices, default=Source.OTHER)
    source_detail = models.CharField(max_length=300, blank=True)
    introduced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="introduced"
    )
    needs = models.TextField(blank=True)
    offers = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    value_i_bring = models.TextField(blank=True)
    work_on = models.TextField(blank=True)
    personal = models.TextField(blank=True)  # details worth remembering: family, hobbies
    notes = models.TextField(blank=True)
    birthday = models.DateField(null=True, blank=True)
    anniversary = models.DateField(null=True, blank=True)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    # Qualification at capture (the three questions from the essays); None = not answered.
    q_interesting = models.BooleanField(null=True, blank=True)
    q_enjoy = models.BooleanField(null=True, blank=True)
    q_mutual_business = models.BooleanField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, through="PersonTag", related_name="people", blank=True)
    created_on = models.DateField()
    stage_since = models.DateField()
    # Summary columns kept current on write by services (see services/touch.py):
    # every kind of touchpoint moves last_contact, so health and the plan never
    # aggregate the whole interaction table per request.
    last_contact = models.DateField(null=True, blank=True)
    touch_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "stage"]),
            # With id: pages of the list (ORDER BY name, id) are read from the index alone.
            models.Index(fields=["workspace", "name", "id"]),
            # A search's matches, found as ids, are sorted by name from this index alone
            # rather than from their rows (db.search.list_matches).
            models.Index(fields=["id", "workspace", "name"], name=ID_NAME_INDEX),
            models.Index(fields=["workspace", "last_contact"]),
            models.Index(fields=["workspace", "introduced_by"]),  # referrals per introducer
            # Birthdays and anniversaries coming up: only the people with a date.
            models.Index(
                fields=["workspace"],
                condition=models.Q(birthday__isnull=False) | models.Q(anniversary__isnull=False),
                name=DATED_INDEX,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonTag(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="tag_once")]
        indexes = [models.Index(fields=["workspace", "person"])]


class Channel(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=5, choices=ChannelKind.choices)
    value = models.CharField(max_length=500)
    # Lower-cased email / digits-only phone / scheme-less URL, for duplicate detection.
    normalized = models.CharField(max_length=500, db_index=True)
    label = models.CharField(max_length=50, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "kind", "normalized"]),
            models.Index(fields=["workspace", "person", "kind"]),
        ]


class StageChange(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    date = models.DateField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["workspace", "person", "date"])]

"""What happens in relationships: interactions, commitments, favours, deals,
events, introductions, and the daily plan's entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import (
    DealStatus,
    Direction,
    FavourKind,
    InteractionKind,
    IntroStatus,
    Origin,
    Party,
    PlanStatus,
)
from .network import Person, WorkspaceOwned


class Interaction(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=20, choices=InteractionKind.choices)
    date = models.DateField()
    initiated_by = models.CharField(max_length=4, choices=Party.choices, default=Party.ME)
    note = models.TextField(blank=True)
    quality = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5
    is_pitch = models.BooleanField(default=False)  # selling, versus giving value
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # Who initiated, too: last contact and thank-you checks read the index alone.
            models.Index(fields=["workspace", "person", "date", "initiated_by"]),
            # The streak and heat map: my outreach per day, read from the index alone.
            models.Index(
                fields=["workspace", "initiated_by", "is_pitch", "date", "member"],
                name="goodwill_outreach_idx",
            ),
        ]
        ordering = ["-date", "-id"]


class Commitment(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(max_length=500)
    by = models.CharField(max_length=4, choices=Party.choices, default=Party.ME)
    created_on = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    kept_on = models.DateField(null=True, blank=True)
    broken = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "kept_on", "due_date"]),
            models.Index(fields=["workspace", "person", "kept_on", "due_date"]),
        ]


class Event(WorkspaceOwned):
    name = models.CharField(max_length=200)
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    target_criteria = models.CharField(max_length=500, blank=True)  # "industry=fintech role=cfo"
    notes = models.TextField(blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class EventTarget(WorkspaceOwned):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="target_once")]


class EventMet(WorkspaceOwned):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="met")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events_met")
    was_new = models.BooleanField(default=True)  # first met at this event
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="met_once")]
        indexes = [models.Index(fields=["workspace", "person"])]


class Deal(WorkspaceOwned):
    client = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="deals")
    title = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=4, choices=DealStatus.choices, default=DealStatus.WON)
    date = models.DateField()
    origin = models.CharField(max_length=15, choices=Origin.choices, default=Origin.OTHER)
    referrer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="referred_deals"
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "status", "date"]),
            # Won referrals of a period (thank-yous): 1 in 10 deals, not every won one.
            models.Index(fields=["workspace", "origin", "status", "date"]),
            models.Index(fields=["workspace", "client"]),
            models.Index(fields=["workspace", "referrer"]),
        ]


class Introduction(WorkspaceOwned):
    a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=IntroStatus.choices, default=IntroStatus.SUGGESTED
    )
    suggested_on = models.DateField()
    asked_on = models.DateField(null=True, blank=True)
    made_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    dismissed = models.BooleanField(default=False)  # a suggestion the user turned down

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "a"]),
            models.Index(fields=["workspace", "b"]),
        ]


class Favour(WorkspaceOwned):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="favours")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    kind = models.CharField(max_length=15, choices=FavourKind.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    date = models.DateField()
    # Set when the favour is implied by another record (no double entry).
    introduction = models.ForeignKey(Introduction, null=True, blank=True, on_delete=models.CASCADE)
    deal = models.ForeignKey(Deal, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        # Given / received per person (one-sided ledger, thank-yous) from the index alone.
        indexes = [models.Index(fields=["workspace", "person", "direction", "date"])]


class PlanEntry(WorkspaceOwned):
    """One suggestion of a daily plan and what the user did with it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.SUGGESTED
    )
    snooze_until = models.DateField(null=True, blank=True)
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    action = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "user", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "person", "date"], name="plan_once_a_day")
        ]

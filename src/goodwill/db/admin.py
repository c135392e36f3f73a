"""The Django admin, for staff running a team server: every model, read and fixed by
hand when needed. Each list shows the workspace and filters by it, because the
admin is the one place that sees across workspaces (staff only)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    ApiToken,
    CalendarFeed,
    Channel,
    Commitment,
    Deal,
    Event,
    EventMet,
    EventTarget,
    Favour,
    Interaction,
    Introduction,
    Invite,
    Membership,
    Organization,
    Person,
    PersonTag,
    PlanEntry,
    StageChange,
    Tag,
    Workspace,
)


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0
    fields = ("kind", "value", "label")


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("date", "from_stage", "to_stage", "reason")


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "workspace", "role", "created_at")
    list_filter = ("role", "workspace")
    search_fields = ("user__username", "user__email")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # The hash is never shown: it is of no use to anyone and need not leave the database.
    list_display = (
        "prefix",
        "user",
        "workspace",
        "scope",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope", "workspace")
    exclude = ("key_hash",)
    readonly_fields = ("prefix", "created_at", "last_used_at")


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("workspace", "role", "created_by", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role", "workspace")
    exclude = ("key_hash",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "workspace", "created_at", "revoked_at")
    exclude = ("key_hash",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "email",
        "organization",
        "role",
        "tier",
        "stage",
        "last_contact",
        "workspace",
    )
    list_filter = ("workspace", "stage", "role", "tier", "source")
    search_fields = ("name", "email", "needs", "offers")
    list_select_related = ("organization", "workspace")
    raw_id_fields = ("organization", "introduced_by")
    inlines = (ChannelInline, StageChangeInline)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "workspace")
    list_filter = ("workspace",)
    search_fields = ("name", "industry")


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("date", "person", "kind", "initiated_by", "quality", "is_pitch", "workspace")
    list_filter = ("workspace", "kind", "initiated_by", "is_pitch")
    search_fields = ("person__name", "note")
    raw_id_fields = ("person", "member")
    date_hierarchy = "date"


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ("description", "person", "by", "due_date", "kept_on", "broken", "workspace")
    list_filter = ("workspace", "by", "broken")
    raw_id_fields = ("person",)


@admin.register(Favour)
class FavourAdmin(admin.ModelAdmin):
    list_display = ("date", "person", "direction", "kind", "value", "workspace")
    list_filter = ("workspace", "direction", "kind")
    raw_id_fields = ("person", "introduction", "deal")


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "client",
        "title",
        "amount",
        "currency",
        "status",
        "origin",
        "workspace",
    )
    list_filter = ("workspace", "status", "origin")
    search_fields = ("title", "client__name")
    raw_id_fields = ("client", "referrer", "event")
    date_hierarchy = "date"


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "date", "location", "workspace")
    list_filter = ("workspace",)
    search_fields = ("name", "location")


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ("a", "b", "status", "suggested_on", "made_on", "workspace")
    list_filter = ("workspace", "status")
    raw_id_fields = ("a", "b")


@admin.register(PlanEntry)
class PlanEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "user", "person", "status", "score", "workspace")
    list_filter = ("workspace", "status")
    raw_id_fields = ("person",)


for model in (Tag, PersonTag, Channel, StageChange, EventTarget, EventMet):
    admin.site.register(model)

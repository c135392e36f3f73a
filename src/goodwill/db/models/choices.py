"""Enumerated values: the glossary's words, used in code, UI, CLI and API."""

from django.db import models


class Role(models.TextChoices):
    CLIENT = "client"
    PROSPECT = "prospect"
    PARTNER = "partner"
    REFERRAL_SOURCE = "referral_source"
    EMPLOYEE = "employee"
    PEER = "peer"
    SUPERVISOR = "supervisor"
    VENDOR = "vendor"
    FRIEND = "friend"
    OTHER = "other"


class Source(models.TextChoices):
    EVENT = "event"
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    COLLEAGUE = "colleague"
    INBOUND = "inbound"
    COLD = "cold"
    OTHER = "other"


class Stage(models.TextChoices):
    IDENTIFIED = "identified"
    CONNECTED = "connected"
    NURTURING = "nurturing"
    PRODUCTIVE = "productive"
    LET_GO = "let_go"


class Tier(models.TextChoices):
    INNER = "inner", "inner (A)"
    KEY = "key", "key (B)"
    NETWORK = "network", "network (C)"


class InteractionKind(models.TextChoices):
    MEETING = "meeting"
    COFFEE = "coffee"
    CALL = "call"
    EMAIL = "email"
    MESSAGE = "message"
    EVENT_CHAT = "event_chat"
    SHARED_ARTICLE = "shared_article"
    RECOMMENDED_BOOK = "recommended_book"
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    GIFT = "gift"
    HELP = "help"
    OTHER = "other"


class Party(models.TextChoices):
    ME = "me"
    THEM = "them"


class Direction(models.TextChoices):
    GAVE = "gave"
    RECEIVED = "received"


class FavourKind(models.TextChoices):
    INTRODUCTION = "introduction"
    REFERRAL = "referral"
    ADVICE = "advice"
    ARTICLE = "article"
    RECOMMENDATION = "recommendation"
    ENDORSEMENT = "endorsement"
    TIME = "time"
    OTHER = "other"


class DealStatus(models.TextChoices):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Origin(models.TextChoices):
    REFERRAL = "referral"
    WORD_OF_MOUTH = "word_of_mouth"
    REPEAT = "repeat"
    EVENT = "event"
    NETWORKING = "networking"
    INBOUND = "inbound"
    COLD = "cold"
    OTHER = "other"


class IntroStatus(models.TextChoices):
    SUGGESTED = "suggested"
    ASKED = "asked"
    MADE = "made"
    DECLINED = "declined"


class ChannelKind(models.TextChoices):
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"


class MemberRole(models.TextChoices):
    OWNER = "owner"
    MEMBER = "member"
    VIEWER = "viewer"


class PlanStatus(models.TextChoices):
    SUGGESTED = "suggested"
    DONE = "done"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


class TokenScope(models.TextChoices):
    READ = "read"
    WRITE = "write"

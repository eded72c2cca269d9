"""The words of DESIGN §2 as enumerations, so code, UI and docs use one vocabulary."""

from __future__ import annotations

from enum import StrEnum


class Team(StrEnum):
    PR = "pr"
    MARKETING = "marketing"


class Unit(StrEnum):
    ADVERTISING = "advertising"
    MEDIA = "media"


class Role(StrEnum):
    ADMIN = "admin"
    PR = "pr"
    MARKETING = "marketing"
    VIEWER = "viewer"


class Feedback(StrEnum):
    """Which of the three kinds of feedback Peyvand judged an item to be."""

    INTERACTION = "interaction"
    MENTION = "mention"
    REACTION = "reaction"


class ItemKind(StrEnum):
    """The form the platform gave an item (the canonical item's `kind`)."""

    COMMENT = "comment"
    DIRECT_MESSAGE = "direct_message"
    REPLY = "reply"
    MENTION = "mention"
    REVIEW = "review"
    EMAIL = "email"
    ARTICLE = "article"
    POST = "post"
    METRIC = "metric"
    EVENT = "event"


TEXT_KINDS = frozenset(
    {
        ItemKind.COMMENT,
        ItemKind.DIRECT_MESSAGE,
        ItemKind.REPLY,
        ItemKind.MENTION,
        ItemKind.REVIEW,
        ItemKind.EMAIL,
        ItemKind.ARTICLE,
        ItemKind.POST,
    }
)
REACTION_KINDS = frozenset({ItemKind.METRIC, ItemKind.EVENT})


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class Intent(StrEnum):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    PURCHASE_INTENT = "purchase_intent"
    PRESS_INQUIRY = "press_inquiry"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class Audience(StrEnum):
    CUSTOMER = "customer"
    JOURNALIST = "journalist"
    MEDIA_OUTLET = "media_outlet"
    INFLUENCER = "influencer"
    PARTNER = "partner"
    PUBLIC = "public"


class Language(StrEnum):
    FA = "fa"
    EN = "en"
    OTHER = "other"


class Direction(StrEnum):
    """Inbound feedback, or the brand's own outbound reply in a thread."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class CampaignKind(StrEnum):
    BRANDING = "branding"
    MARKETING = "marketing"


class Channel(StrEnum):
    PAID = "paid"
    OWNED = "owned"
    EARNED = "earned"


# Metrics whose series belong to the advertising unit (paid media), DESIGN §2 rule 1.
PAID_MEDIA_METRICS = frozenset(
    {
        "ad_spend",
        "ad_impressions",
        "ad_clicks",
        "ad_conversions",
        "spend",
        "impressions",
        "clicks",
        "cpc",
        "cpm",
    }
)

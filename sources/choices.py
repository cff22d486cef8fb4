from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", _("news article")
    NGO_STATEMENT = "ngo_statement", _("NGO statement")
    COURT_DOCUMENT = "court_document", _("court document")
    OFFICIAL_STATEMENT = "official_statement", _("official statement")
    INTERVIEW = "interview", _("interview")
    SOCIAL_MEDIA_POST = "social_media_post", _("social media post")
    DATABASE_RECORD = "database_record", _("database record")
    OTHER = "other", _("other")


class Confidence(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class OrganisationKind(models.TextChoices):
    HUMAN_RIGHTS = "human_rights", _("human-rights organisation")
    COALITION = "coalition", _("coalition of organisations")
    MEDIA = "media", _("media")
    GOVERNMENT = "government", _("government or state body")
    INTERNATIONAL = "international", _("international organisation")
    OTHER = "other", _("other")

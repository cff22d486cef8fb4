"""
Public representations. Every field is listed by hand: a new private field can never leak
by default. What is shown comes from ``prisoners.public.rows``, the published edition: for a person
whose name is withheld the descriptor, no spellings, identifiers or citations, and masked
values (the edition stores them masked); optional links only to public records (the
edition stores a link to a record that is not public as null); free texts as they were
redacted at publication.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.lib import languages
from tracker.lib.api import (
    LABELS_SCHEMA,
    HttpLinkField,
    LabelField,
    LabelsField,
    PartialDateOutput,
    request_language,
)

from ..choices import (
    AppealOutcome,
    EventKind,
    FacilityKind,
    FigureQualifier,
    Gender,
    NameKind,
    PenaltyKind,
    ReleaseKind,
    Script,
    Status,
)
from . import links
from .citations import CitedSerializer


class PublicNameField(serializers.CharField):
    """With ``source="*"``, a person's public name: their descriptor if theirs is withheld."""

    def to_representation(self, value):
        return str(getattr(value, "public_name", value))


# How ``display_name`` falls back (the edition writes it: ``edition_writer._display_names``).
DISPLAY_NAME_HELP = (
    "The name in the script of the language asked for (see `lang`). be: the Belarusian"
    " Cyrillic spelling, else the Russian Cyrillic one, else `name`. ru: the Russian Cyrillic"
    " spelling, else the Belarusian, else `name`. en: `name` when it has Latin letters, else"
    " the first Latin-script spelling, else `name`. The descriptor in every language if the"
    " name is withheld."
)


def display_name(person, language: str) -> str:
    """A person's name in the script of ``language`` (see ``DISPLAY_NAME_HELP``): the
    edition's ``display_name_<language>``, written with its fallback at publication."""
    return getattr(person, f"display_name_{language}", "") or person.public_name


class DisplayNameField(serializers.CharField):
    """With ``source="*"``, a person's ``display_name`` in the request's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DISPLAY_NAME_HELP)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return display_name(value, request_language(self.context))


def api_url(serializer, view_name: str, pk: int) -> str:
    return links.api_url(serializer.context.get("request"), view_name, pk)


def nested(serializer, serializer_class):
    """
    An instance of ``serializer_class`` for a method field of ``serializer``, made once per
    response rather than once per row (DRF copies every declared field of each new
    instance). ``nested(self, ArticleSerializer).to_representation(article)``.
    """
    children = serializer.__dict__.setdefault("_nested", {})
    child = children.get(serializer_class)
    if child is None:
        child = children[serializer_class] = serializer_class(context=serializer.context)
    return child


class PersonRefSerializer(serializers.Serializer):
    """A person named by their public name only."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    name = PublicNameField(source="*")
    display_name = DisplayNameField(source="*")

    def get_url(self, person) -> str:
        return api_url(self, "api:person-detail", person.pk)


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField()
    script = serializers.ChoiceField(choices=Script.choices)
    kind = serializers.ChoiceField(choices=NameKind.choices)


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    identifier = serializers.CharField()
    url = HttpLinkField()
    external_status = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = LabelField("name")
    name_i18n = LabelsField("name")
    short_name = LabelField("short_name")
    short_name_i18n = LabelsField("short_name")
    slug = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    code = serializers.CharField()
    number = serializers.CharField()
    title = LabelField("title")
    title_i18n = LabelsField("title")

    def get_url(self, article) -> str:
        return api_url(self, "api:article-detail", article.pk)


class FacilityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    name = LabelField("name")
    name_i18n = LabelsField("name")
    city = LabelField("city")
    city_i18n = LabelsField("city")

    def get_url(self, facility) -> str:
        return api_url(self, "api:facility-detail", facility.pk)


class ChargeSerializer(CitedSerializer):
    article = serializers.SerializerMethodField()
    part = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    charged_on = PartialDateOutput()

    @extend_schema_field(ArticleSerializer(allow_null=True))
    def get_article(self, charge):
        if charge.article_id is None:
            return None
        return nested(self, ArticleSerializer).to_representation(charge.article)


class FacilityStaySerializer(CitedSerializer):
    facility = FacilityRefSerializer()
    started_on = PartialDateOutput()
    ended_on = PartialDateOutput()
    note = serializers.CharField()


class DecisionFieldsSerializer(CitedSerializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    decided_on = PartialDateOutput()
    court = serializers.CharField()
    judge = serializers.CharField()
    penalty_kind = serializers.ChoiceField(choices=PenaltyKind.choices, allow_blank=True)
    term_months = serializers.IntegerField(allow_null=True)
    term_days = serializers.IntegerField(allow_null=True)
    term_text = serializers.CharField(help_text="The sentence as the source words it.")
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    fine_unit = serializers.CharField()
    penalty_starts_on = PartialDateOutput()
    appeal_decided_on = PartialDateOutput()
    appeal_court = serializers.CharField()
    appeal_outcome = serializers.ChoiceField(choices=AppealOutcome.choices, allow_blank=True)

    def get_url(self, decision) -> str:
        return api_url(self, "api:decision-detail", decision.pk)


class ReleaseFieldsSerializer(CitedSerializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    released_on = PartialDateOutput()
    kind = serializers.ChoiceField(choices=ReleaseKind.choices)
    destination_country = serializers.CharField()
    circumstances = serializers.CharField()

    def get_url(self, release) -> str:
        return api_url(self, "api:release-detail", release.pk)


class DetentionBriefSerializer(CitedSerializer):
    """A detention as embedded in a person: with charges, stays, decisions and releases."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    started_on = PartialDateOutput()
    place = serializers.CharField()
    authority = serializers.CharField()
    circumstances = serializers.CharField()
    defence_counsel = serializers.CharField()
    charges = ChargeSerializer(many=True)
    facility_stays = FacilityStaySerializer(many=True)
    decisions = DecisionFieldsSerializer(many=True)
    releases = ReleaseFieldsSerializer(many=True)

    def get_url(self, detention) -> str:
        return api_url(self, "api:detention-detail", detention.pk)


class RecognitionSerializer(CitedSerializer):
    organisation = OrganisationRefSerializer()
    recognised_on = PartialDateOutput()
    statement_url = HttpLinkField()
    withdrawn_on = PartialDateOutput()
    note = serializers.CharField()


class ParticipationSerializer(CitedSerializer):
    event = serializers.SerializerMethodField()
    role = serializers.CharField()
    attended = serializers.BooleanField(allow_null=True)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "title": {"type": "string"},
                "title_i18n": LABELS_SCHEMA,
            },
        }
    )
    def get_event(self, participation):
        event = participation.event
        return {
            "id": event.pk,
            "url": api_url(self, "api:event-detail", event.pk),
            "title": languages.label(event, "title", request_language(self.context)),
            "title_i18n": languages.labels(event, "title"),
        }


class PersonListSerializer(CitedSerializer):
    """A person in a list."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    name = PublicNameField(source="*", help_text="The display name, or the descriptor if withheld.")
    display_name = DisplayNameField(source="*")
    name_withheld = serializers.BooleanField()
    names = serializers.SerializerMethodField(help_text="Every spelling; empty if withheld.")
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = PartialDateOutput(help_text="Only the year if the name is withheld.")
    country = serializers.CharField()
    region = serializers.CharField()
    occupation = serializers.CharField()
    current_status = serializers.ChoiceField(choices=Status.choices)
    status_since = PartialDateOutput()
    updated_at = serializers.DateTimeField()
    search_score = serializers.SerializerMethodField(
        help_text="With q: 3 exact spelling, 2 same name key (another spelling or script), "
        "1 near match. Null without q."
    )

    def get_search_score(self, person) -> int | None:
        return getattr(person, "search_score", None)

    def get_url(self, person) -> str:
        return api_url(self, "api:person-detail", person.pk)

    @extend_schema_field(NameSerializer(many=True))
    def get_names(self, person):
        serializer = nested(self, NameSerializer)
        return [serializer.to_representation(name) for name in person.names.all()]


class PersonDetailSerializer(PersonListSerializer):
    """A person with their whole published record."""

    search_score = None

    affiliation = serializers.CharField()
    biography = serializers.CharField()
    photo_url = HttpLinkField()
    identifiers = serializers.SerializerMethodField()
    recognitions = RecognitionSerializer(many=True)
    detentions = DetentionBriefSerializer(many=True)
    events = ParticipationSerializer(many=True, source="participations")

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, person):
        serializer = nested(self, IdentifierSerializer)
        return [serializer.to_representation(row) for row in person.identifiers.all()]


class DetentionSerializer(DetentionBriefSerializer):
    person = PersonRefSerializer()
    decisions = None
    releases = None
    updated_at = serializers.DateTimeField()


class DecisionSerializer(DecisionFieldsSerializer):
    person = PersonRefSerializer(source="detention.person")
    detention = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_detention(self, decision) -> str:
        return api_url(self, "api:detention-detail", decision.detention_id)


class ReleaseSerializer(ReleaseFieldsSerializer):
    person = PersonRefSerializer(source="detention.person")
    detention = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_detention(self, release) -> str:
        return api_url(self, "api:detention-detail", release.detention_id)


class FacilitySerializer(CitedSerializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    name = LabelField("name")
    name_i18n = LabelsField("name")
    other_names = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    country = serializers.CharField()
    city = LabelField("city")
    city_i18n = LabelsField("city")
    address = serializers.CharField(help_text="Address for letters.")
    description = serializers.CharField()
    updated_at = serializers.DateTimeField()

    def get_url(self, facility) -> str:
        return api_url(self, "api:facility-detail", facility.pk)

    def get_other_names(self, facility) -> list[str]:
        return [other.name for other in facility.other_names.all()]


class EventParticipantSerializer(CitedSerializer):
    person = PersonRefSerializer()
    role = serializers.CharField()
    attended = serializers.BooleanField(
        allow_null=True, help_text="null where sources disagree: see the citations."
    )


class EventSerializer(CitedSerializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    title = LabelField("title")
    title_i18n = LabelsField("title")
    kind = serializers.ChoiceField(choices=EventKind.choices)
    happened_on = PartialDateOutput()
    facility = serializers.SerializerMethodField()
    place = serializers.CharField()
    description = serializers.CharField()
    participant_count = serializers.IntegerField(
        allow_null=True, help_text="null where sources disagree: see the citations."
    )
    participants = EventParticipantSerializer(many=True, source="participations")
    updated_at = serializers.DateTimeField()

    def get_url(self, event) -> str:
        return api_url(self, "api:event-detail", event.pk)

    @extend_schema_field(FacilityRefSerializer(allow_null=True))
    def get_facility(self, event):
        if event.facility_id is None:
            return None
        return nested(self, FacilityRefSerializer).to_representation(event.facility)


class FigureSerializer(CitedSerializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    value = serializers.IntegerField()
    qualifier = serializers.ChoiceField(choices=FigureQualifier.choices)
    counted = serializers.CharField(help_text="What is counted.")
    as_of = PartialDateOutput()
    counted_by = serializers.CharField(help_text="Whose count the source reports.")
    country = serializers.CharField()
    part_of = serializers.SerializerMethodField()
    event = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField()

    def get_url(self, figure) -> str:
        return api_url(self, "api:figure-detail", figure.pk)

    def get_part_of(self, figure) -> str | None:
        if figure.part_of_id is None:
            return None
        return api_url(self, "api:figure-detail", figure.part_of_id)

    def get_event(self, figure) -> str | None:
        if figure.event_id is None:
            return None
        return api_url(self, "api:event-detail", figure.event_id)

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class Status(models.TextChoices):
    """A person's current situation, derived from their published detentions and releases."""

    IN_CUSTODY = "in_custody", _("in custody")
    RESTRICTED = "restricted", _("house arrest / restricted freedom")
    RELEASED = "released", _("released")
    EXILE = "exile", _("in exile")
    DECEASED = "deceased", _("deceased")
    UNKNOWN = "unknown", _("unknown")


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("official")
    TRANSLITERATION = "transliteration", _("transliteration")
    ALIAS = "alias", _("alias")
    AS_IN_SOURCE = "as_in_source", _("as spelled in a source")


class Script(models.TextChoices):
    LATIN = "Latn", _("Latin")
    CYRILLIC = "Cyrl", _("Cyrillic")
    OTHER = "Zyyy", _("other")


class FacilityKind(models.TextChoices):
    KGB_DETENTION = "kgb_detention", _("KGB pre-trial detention centre")
    PRETRIAL_DETENTION = "pretrial_detention", _("pre-trial detention centre (SIZO)")
    TEMPORARY_DETENTION = "temporary_detention", _("temporary detention centre / isolator")
    PENAL_COLONY = "penal_colony", _("penal colony")
    PRISON = "prison", _("prison")
    OPEN_FACILITY = "open_facility", _("open penal facility (“khimiya”)")
    PSYCHIATRIC = "psychiatric", _("psychiatric institution")
    OTHER = "other", _("other")


class PenaltyKind(models.TextChoices):
    """Kinds of punishment; covers every value of Viasna's `penalty` field."""

    IMPRISONMENT = "imprisonment", _("imprisonment (regime not stated)")
    COLONY_GENERAL = "colony_general", _("imprisonment in a general-security penal colony")
    COLONY_MEDIUM = "colony_medium", _("imprisonment in a medium-security penal colony")
    COLONY_HIGH = "colony_high", _("imprisonment in a high-security penal colony")
    COLONY_MAXIMUM = "colony_maximum", _("imprisonment in a maximum-security penal colony")
    PRISON = "prison", _("imprisonment in a prison")
    RESTRICTED_FREEDOM_OPEN = (
        "restricted_freedom_open",
        _("restricted freedom in an open penal facility (“khimiya”)"),
    )
    RESTRICTED_FREEDOM_HOME = (
        "restricted_freedom_home",
        _("restricted freedom under home confinement (“domashnyaya khimiya”)"),
    )
    ARREST = "arrest", _("arrest")
    FINE = "fine", _("fine")
    SUSPENDED = "suspended", _("suspended imprisonment")
    COMPULSORY_TREATMENT = "compulsory_treatment", _("compulsory psychiatric treatment")
    OTHER = "other", _("other")


# Viasna's English `penalty` wording, as in its public database, mapped to our kinds.
VIASNA_PENALTIES = {
    "imprisonment in a general-security penal colony": PenaltyKind.COLONY_GENERAL,
    "imprisonment in a medium-security penal colony": PenaltyKind.COLONY_MEDIUM,
    "imprisonment in a high-security penal colony": PenaltyKind.COLONY_HIGH,
    "imprisonment in a maximum-security penal colony": PenaltyKind.COLONY_MAXIMUM,
    "imprisonment in a high security prison": PenaltyKind.PRISON,
    'restricted freedom in an open penal facility ("khimiya")': (
        PenaltyKind.RESTRICTED_FREEDOM_OPEN
    ),
    'restricted freedom under home confinement ("domashnyaya khimiya")': (
        PenaltyKind.RESTRICTED_FREEDOM_HOME
    ),
    "arrest": PenaltyKind.ARREST,
    "fine": PenaltyKind.FINE,
    "suspended imprisonment": PenaltyKind.SUSPENDED,
    "compulsory psychiatric treatment": PenaltyKind.COMPULSORY_TREATMENT,
}

# Penalties served without custody: the person is under restriction, not held.
RESTRICTING_PENALTIES = frozenset(
    {PenaltyKind.RESTRICTED_FREEDOM_OPEN, PenaltyKind.RESTRICTED_FREEDOM_HOME}
)
# Penalties that leave the person free once the verdict is given.
NON_CUSTODIAL_PENALTIES = frozenset({PenaltyKind.FINE, PenaltyKind.SUSPENDED})


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("verdict upheld")
    CHANGED = "changed", _("sentence changed")
    OVERTURNED = "overturned", _("verdict overturned")
    UNKNOWN = "unknown", _("outcome unknown")


class ReleaseKind(models.TextChoices):
    HOUSE_ARREST = "house_arrest", _("measure of restraint changed to house arrest")
    RESTRAINT_LIFTED = "restraint_lifted", _("released pending trial (restraint lifted)")
    END_OF_TERM = "end_of_term", _("end of term")
    PARDON = "pardon", _("pardon")
    AMNESTY = "amnesty", _("amnesty")
    ACQUITTAL = "acquittal", _("acquittal or charges dropped")
    EXILE = "exile", _("forced exile abroad")
    DEATH = "death", _("death in custody")
    OTHER = "other", _("other")


class EventKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    TRIAL = "trial", _("trial hearing")
    PROTEST = "protest", _("protest")
    MASS_RELEASE = "mass_release", _("mass release")
    OTHER = "other", _("other")


class FigureQualifier(models.TextChoices):
    EXACTLY = "exactly", _("exactly")
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")
    AT_MOST = "at_most", _("at most")
    FEWER_THAN = "fewer_than", _("fewer than")


class DuplicateReason(models.TextChoices):
    """Why two people may be one (``prisoners.duplicates``)."""

    SAME_NAME = "same_name", _("the same name, in any spelling")
    SAME_NAME_AND_BIRTH_DATE = "same_name_birth_date", _("the same name and birth date")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to be checked")
    DISMISSED = "dismissed", _("dismissed: not the same person")

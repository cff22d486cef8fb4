"""
Our translation catalogues, kept by Python alone (no GNU gettext needed).

Each ``locale/`` folder of ours is the catalogue of the code beside it: ``locale/`` at the
top for ``prisoners/``, ``sources/`` and ``tracker/``; ``website/locale/`` for
``website/``; a folder with a ``locale/`` of its own belongs to that one, not to the one
above. Tests, scripts, fixtures, docs and migrations are not read.

- ``extract(root)`` reads the strings marked for translation: ``gettext``, ``gettext_lazy``,
  ``ngettext``, ``pgettext`` … in Python files, and ``{% translate %}``,
  ``{% blocktranslate %}`` and ``_("…")`` in templates (through Django's own
  ``templatize``, as ``makemessages`` does).
- ``update(locale_dir)`` brings ``django.po`` of every language in step with the code:
  new strings added untranslated, strings no longer in the code made obsolete (``#~``),
  and writes the compiled ``django.mo`` beside it. Entries that re-translate a string of
  Django or of a library (``OVERRIDDEN_DOMAINS``) are ours to keep.
- ``problems(locale_dir)`` lists what is wrong: an untranslated or fuzzy string, a
  catalogue out of step with the code, a ``.mo`` that differs from its ``.po``, a
  placeholder missing or added in a translation. ``tests/test_translations.py`` fails on
  any; ``make messages`` runs ``update``.

The JavaScript catalogue (``djangojs.po``) holds no string of ours (we write no
translatable JavaScript): it re-translates, in full, the JavaScript catalogue of a Django
app where Django's own is not in our orthography (``JS_OVERRIDES``: the admin's calendar,
clock and selection widgets in Belarusian, which Django ships in Taraškievica; its Russian
is complete and kept). ``update`` adds any string of that app missing from ours (after a
Django upgrade) and compiles ``djangojs.mo``; ``problems`` checks it like the other: every
string of the app translated, none fuzzy, the placeholders kept, the ``.mo`` in step.

Run ``python -m tracker.catalogues`` to update every catalogue, ``--check`` to list the
problems (exit status 1 when there are some).
"""

import ast
import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import django
import polib
from django.utils.translation.template import templatize

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("be", "ru")
PLURAL_FORMS = {
    "be": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
}
LANGUAGE_TEAMS = {"be": "Belarusian", "ru": "Russian"}
# Folders that hold no translatable string of ours.
SKIPPED_DIRS = {"tests", "scripts", "fixtures", "docs", "migrations", "locale", "node_modules"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# The marker of an entry that re-translates a string of Django or of a library (for the
# official orthography, or where the library has no translation): kept by ``update``.
OVERRIDE_COMMENT = "Overrides the string of"
DOMAIN = "django"
JS_DOMAIN = "djangojs"
# language -> the Django app whose JavaScript catalogue ours re-translates in full, in the
# project's catalogue (``locale/``).
JS_OVERRIDES = {"be": "contrib/admin"}
JS_OVERRIDE_COMMENT = "Overrides the string of Django's admin JavaScript (official orthography)."

# Keyword: the argument positions of (context, singular, plural).
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
# %(name)s, %s, %d … (not %%) and {name} / {} as str.format and format_lazy take them.
PLACEHOLDER_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|\{[^{}]*\}")


@dataclass
class Message:
    context: str | None
    msgid: str
    plural: str | None
    locations: list = field(default_factory=list)

    @property
    def key(self):
        return (self.context or "", self.msgid)


# Extraction --------------------------------------------------------------------------------


def source_files(locale_dir: Path):
    """The files whose strings ``locale_dir`` translates (see the module docstring)."""
    top = locale_dir.parent

    def walk(folder: Path):
        for path in sorted(folder.iterdir()):
            if path.is_dir():
                skip = (
                    path.name.startswith((".", "_"))
                    or path.name in SKIPPED_DIRS
                    or (path / "locale").is_dir()
                    or path.is_symlink()
                )
                if not skip:
                    yield from walk(path)
            elif path.suffix == ".py" or (
                path.suffix in SOURCE_SUFFIXES and "templates" in path.parts
            ):
                yield path

    return walk(top)


def _literal(tokens):
    """The value of a run of string tokens ("a" "b"), or None when it is anything else."""
    if not tokens or any(token.type != tokenize.STRING for token in tokens):
        return None
    try:
        value = ast.literal_eval(" ".join(token.string for token in tokens))
    except (ValueError, SyntaxError):
        return None  # an f-string: not translatable as such
    return value if isinstance(value, str) else None


def _calls(text: str):
    """(keyword, [argument value or None], line) for every gettext-like call in ``text``."""
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT)
        and token.type != tokenize.DEDENT
    ]
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        before = tokens[index - 1].string if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if before in (".", "def", "import", "as") or after is None or after.string != "(":
            continue
        args, current, depth = [], [], 0
        for inner in tokens[index + 2 :]:
            if inner.type == tokenize.OP and inner.string in "([{":
                depth += 1
            elif inner.type == tokenize.OP and inner.string in ")]}":
                if depth == 0:
                    args.append(current)
                    break
                depth -= 1
            elif inner.type == tokenize.OP and inner.string == "," and depth == 0:
                args.append(current)
                current = []
                continue
            current.append(inner)
        yield token.string, [_literal(arg) for arg in args], token.start[0]


def _text_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return text
    # Django's own extraction of templates; its output is Python-like text in which only
    # the calls matter, so indentation (which the tokenizer would check) is dropped.
    return "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).splitlines())


def extract(locale_dir: Path) -> dict:
    """Every string marked for translation in the code of ``locale_dir``: key → Message."""
    found = {}
    for path in source_files(locale_dir):
        where = path.relative_to(locale_dir.parent).as_posix()
        for keyword, args, line in _calls(_text_of(path)):
            context_at, singular_at, plural_at = KEYWORDS[keyword]
            needed = max(p for p in (context_at, singular_at, plural_at) if p is not None)
            if len(args) <= needed:
                continue
            context = args[context_at] if context_at is not None else None
            msgid = args[singular_at]
            plural = args[plural_at] if plural_at is not None else None
            if msgid is None or (context_at is not None and context is None):
                continue
            if plural_at is not None and plural is None:
                continue
            message = found.setdefault((context or "", msgid), Message(context, msgid, plural))
            message.plural = message.plural or plural
            message.locations.append((where, line))
    return found


# Catalogues ---------------------------------------------------------------------------------


def po_path(locale_dir: Path, language: str, domain: str = DOMAIN) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def js_overrides_of(locale_dir: Path) -> dict[str, str]:
    """``JS_OVERRIDES`` for the project's catalogue; none for an app's own."""
    return JS_OVERRIDES if locale_dir.resolve() == (BASE_DIR / "locale").resolve() else {}


def django_js_messages(app: str) -> dict:
    """The strings of a Django app's JavaScript catalogue: key → its (English) entry."""
    path = Path(django.__file__).parent / app / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    return {_key(entry): entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid)


def is_override(entry) -> bool:
    return OVERRIDE_COMMENT in (entry.comment or "")


def _new_catalogue(language: str) -> polib.POFile:
    catalogue = polib.POFile(wrapwidth=99)
    catalogue.metadata = {
        "Project-Id-Version": "political-prisoner-tracker",
        "Language": language,
        "Language-Team": LANGUAGE_TEAMS[language],
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    return catalogue


def _flags(message: Message) -> list:
    return ["python-format"] if PLACEHOLDER_RE.search(message.msgid) else []


def update(locale_dir: Path, languages=LANGUAGES) -> None:
    """Bring each language's ``django.po`` in step with the code, and compile it."""
    messages = extract(locale_dir)
    for language in languages:
        path = po_path(locale_dir, language)
        old = polib.pofile(str(path), wrapwidth=99) if path.exists() else _new_catalogue(language)
        by_key = {_key(entry): entry for entry in old}
        catalogue = _new_catalogue(language)
        catalogue.header = old.header
        for message in sorted(messages.values(), key=lambda m: (m.locations[0], m.msgid)):
            entry = by_key.pop(message.key, None)
            if entry is None or entry.obsolete:
                entry = polib.POEntry(msgctxt=message.context, msgid=message.msgid)
                if message.plural is not None:
                    entry.msgid_plural = message.plural
                    entry.msgstr_plural = {0: "", 1: "", 2: ""}
            elif (entry.msgid_plural or None) != message.plural:
                entry.msgid_plural = message.plural or ""
                entry.msgstr_plural = {0: "", 1: "", 2: ""} if message.plural else {}
                entry.flags = [*entry.flags, "fuzzy"]
            entry.obsolete = False
            entry.occurrences = [(where, str(line)) for where, line in message.locations]
            entry.flags = [
                *[flag for flag in entry.flags if flag != "python-format"],
                *_flags(message),
            ]
            catalogue.append(entry)
        for entry in by_key.values():
            if is_override(entry):
                catalogue.append(entry)
            elif entry.msgstr or any(entry.msgstr_plural.values()):
                entry.obsolete = True  # kept for reuse, as gettext does
                entry.occurrences = []
                catalogue.append(entry)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(path))
        compile_catalogue(path)
    _update_js(locale_dir, languages)


def _update_js(locale_dir: Path, languages, js_overrides=None) -> None:
    """Add the strings of ``JS_OVERRIDES``' apps missing from ``djangojs.po`` (untranslated),
    and compile every ``djangojs.po``."""
    overrides = js_overrides_of(locale_dir) if js_overrides is None else js_overrides
    for language in languages:
        path = po_path(locale_dir, language, JS_DOMAIN)
        if language not in overrides and not path.exists():
            continue
        catalogue = polib.pofile(str(path), wrapwidth=99) if path.exists() else None
        if catalogue is None:
            catalogue = _new_catalogue(language)
        if language in overrides:
            present = {_key(entry) for entry in catalogue if not entry.obsolete}
            for key, source in django_js_messages(overrides[language]).items():
                if key in present:
                    continue
                entry = polib.POEntry(
                    msgctxt=source.msgctxt,
                    msgid=source.msgid,
                    comment=JS_OVERRIDE_COMMENT,
                    flags=[flag for flag in source.flags if flag != "fuzzy"],
                )
                if source.msgid_plural:
                    entry.msgid_plural = source.msgid_plural
                    entry.msgstr_plural = {0: "", 1: "", 2: ""}
                catalogue.append(entry)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(path))
        compile_catalogue(path)


def compile_catalogue(path: Path) -> None:
    """Write ``django.mo`` from ``django.po`` (only the translated, not fuzzy, entries)."""
    polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


# The check ------------------------------------------------------------------------------------


def _placeholders(text: str) -> list:
    return sorted(PLACEHOLDER_RE.findall(text.replace("%%", "")))


def _translations(entry) -> list:
    """(the English it translates, the translation) for each form of the entry."""
    if entry.msgid_plural:
        return [
            (entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


def _compiled(mo) -> dict:
    return {
        (entry.msgctxt or "", entry.msgid): (
            tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
        )
        for entry in mo
        if entry.msgid  # the header
    }


def _check_translations(catalogue, name: str) -> list[str]:
    """Placeholders that differ between an entry's English and its translation."""
    found = []
    for entry in catalogue.translated_entries():
        for english, text in _translations(entry):
            if _placeholders(english) != _placeholders(text):
                found.append(
                    f"{name}: placeholders differ: {english!r} → {text!r} "
                    f"({_placeholders(english)} ≠ {_placeholders(text)})"
                )
    return found


def _check_compiled(catalogue, path: Path, name: str) -> list[str]:
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{name}: no compiled {mo_path.name} (run `make messages`)"]
    if _compiled(polib.mofile(str(mo_path))) != _compiled(catalogue.translated_entries()):
        return [f"{name}: {mo_path.name} differs from {path.name} (run `make messages`)"]
    return []


def js_problems(locale_dir: Path, languages=LANGUAGES, js_overrides=None) -> list[str]:
    """What is wrong with the ``djangojs`` catalogues of ``locale_dir`` (see the module
    docstring); ``js_overrides`` defaults to ``js_overrides_of(locale_dir)``."""
    overrides = js_overrides_of(locale_dir) if js_overrides is None else js_overrides
    found = []
    for language in languages:
        path = po_path(locale_dir, language, JS_DOMAIN)
        name = path.relative_to(locale_dir.parent).as_posix()
        if not path.exists():
            if language in overrides:
                found.append(f"{name}: missing (run `make messages`)")
            continue
        catalogue = polib.pofile(str(path))
        active = {_key(entry): entry for entry in catalogue if not entry.obsolete}
        wanted = django_js_messages(overrides[language]) if language in overrides else {}
        for key in wanted.keys() - active.keys():
            found.append(f"{name}: missing (run `make messages`): {key[1]!r}")
        for key, entry in active.items():
            if key not in wanted and not is_override(entry):
                found.append(f"{name}: not a string of Django's to override: {key[1]!r}")
            elif entry.fuzzy or not all(text for _english, text in _translations(entry)):
                found.append(f"{name}: not translated: {key[1]!r}")
        found += _check_translations(catalogue, name)
        found += _check_compiled(catalogue, path, name)
    return found


def problems(locale_dir: Path, languages=LANGUAGES, js_overrides=None) -> list[str]:
    """What is wrong with the catalogues of ``locale_dir`` (empty when all is well)."""
    messages = extract(locale_dir)
    found = []
    for language in languages:
        path = po_path(locale_dir, language)
        name = path.relative_to(locale_dir.parent).as_posix()
        if not path.exists():
            found.append(f"{name}: missing (run `make messages`)")
            continue
        catalogue = polib.pofile(str(path))
        active = {_key(entry): entry for entry in catalogue if not entry.obsolete}
        for key, message in messages.items():
            where = "{}:{}".format(*message.locations[0])
            entry = active.get(key)
            if entry is None:
                found.append(f"{name}: missing (run `make messages`): {key[1]!r} ({where})")
            elif (entry.msgid_plural or None) != message.plural:
                found.append(f"{name}: plural out of date (run `make messages`): {key[1]!r}")
            elif entry.fuzzy or not all(text for _english, text in _translations(entry)):
                found.append(f"{name}: not translated: {key[1]!r} ({where})")
        for key, entry in active.items():
            if key not in messages and not is_override(entry):
                found.append(f"{name}: no longer in the code (run `make messages`): {key[1]!r}")
        found += _check_translations(catalogue, name)
        found += _check_compiled(catalogue, path, name)
    return found + js_problems(locale_dir, languages, js_overrides)


def locale_dirs(root: Path = BASE_DIR) -> list[Path]:
    """Every catalogue of ours: ``locale/`` at the top and in any folder of ours."""
    found = [root / "locale"] if (root / "locale").is_dir() else []
    for path in sorted(root.iterdir()):
        skip = path.name.startswith((".", "_")) or path.name in SKIPPED_DIRS or path.is_symlink()
        if path.is_dir() and not skip and (path / "locale").is_dir():
            found.append(path / "locale")
    return found


def main(argv: list[str]) -> int:
    django.setup()
    if "--check" in argv:
        found = [problem for folder in locale_dirs() for problem in problems(folder)]
        print("\n".join(found) or "The catalogues are complete and up to date.")
        return 1 if found else 0
    for folder in locale_dirs():
        update(folder)
        print(f"Updated {folder.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.exit(main(sys.argv[1:]))

"""
The public's files: CSV downloads (``/exports/<slug>.csv``) and the data package.

Every table names its columns once (``tracker.lib.csv_streams.Column``: header, type,
meaning, how its value is read, which model field it holds). From them come the CSV
files, the data package's Table Schemas, the data dictionary (``docs/data-dictionary.md``),
the data-package loader (``prisoners.importing.datapackage``) and the admin's spreadsheet
import (``prisoners.importing.spreadsheet``, ``sources.resources``), so they cannot drift.
Every query starts from ``prisoners.public``.

- ``base``: tables and the streaming of their rows;
- ``people``, ``custody``, ``facilities``, ``events``, ``sources``: one module per family
  of tables, each with its downloads and its data-package tables;
- ``datapackage``: the package (``TABLES``, ``write_datapackage``);
- ``dictionary``: the data dictionary; ``views``: the download views.
"""

from .custody import DECISIONS_CSV, DETENTIONS_CSV, RELEASES_CSV
from .datapackage import TABLES
from .events import FIGURES_CSV
from .facilities import FACILITIES_CSV
from .people import PRISONERS_CSV
from .sources import CITATIONS_CSV, SOURCES_CSV

EXPORTS = {
    export.slug: export
    for export in (
        PRISONERS_CSV,
        DETENTIONS_CSV,
        DECISIONS_CSV,
        RELEASES_CSV,
        FACILITIES_CSV,
        SOURCES_CSV,
        CITATIONS_CSV,
        FIGURES_CSV,
    )
}

__all__ = ["EXPORTS", "TABLES"]

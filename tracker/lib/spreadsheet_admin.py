"""
The admin's side of the spreadsheet import (tracker.lib.spreadsheet): django-import-export's
admin mixin, which needs the admin app. Apart, so that the exports, which share the
import's column definitions, load in a public-only process (settings.PUBLIC_ONLY), where
the admin is not installed.
"""

from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV


class CsvImportMixin(ImportMixin):
    """The admin's import, for CSV files like our exports."""

    import_formats = [CSV]

#!/usr/bin/env python
"""
Helpers of scripts/backup-test: the public files of a database, as files to compare.

    backup_snapshot.py download OUTDIR   # every /exports/<slug>.csv and the data package
    backup_snapshot.py unzip ZIP OUTDIR  # a data package's members

Downloads go through Django's test client (the same views, middleware and settings as
gunicorn, without a server), against the database DATABASE_URL names. A data package is
unpacked member by member, with the value of datapackage.json's "created" (the time it
was written) replaced by a fixed placeholder: everything else is compared byte for byte.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CREATED = re.compile(rb'"created": "[^"]*"')


def unzip(data: bytes, target: Path) -> list[str]:
    target.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if "/" in name or name.startswith("."):
                raise SystemExit(f"unexpected member {name!r} in the data package")
            content = archive.read(name)
            if name == "datapackage.json":
                content, found = CREATED.subn(b'"created": "(ignored)"', content, count=1)
                if not found:
                    raise SystemExit("datapackage.json has no created field")
            (target / name).write_bytes(content)
            names.append(name)
    return names


def download(target: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.test import Client

    from prisoners.exports import EXPORTS

    client = Client()
    target.mkdir(parents=True, exist_ok=True)
    for slug in sorted(EXPORTS):
        response = client.get(f"/exports/{slug}.csv")
        if response.status_code != 200:
            raise SystemExit(f"/exports/{slug}.csv answered {response.status_code}")
        content = b"".join(response.streaming_content)
        (target / f"{slug}.csv").write_bytes(content)
        lines = content.count(b"\n")
        print(f"  /exports/{slug}.csv: {lines} lines, {len(content):,} bytes")
    response = client.get("/exports/datapackage.zip")
    if response.status_code != 200:
        raise SystemExit(f"/exports/datapackage.zip answered {response.status_code}")
    data = b"".join(response.streaming_content)
    members = unzip(data, target / "datapackage")
    print(f"  /exports/datapackage.zip: {len(members)} files, {len(data):,} bytes")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "download":
        download(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "unzip":
        members = unzip(Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]))
        print(f"  {sys.argv[2]}: {len(members)} files")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

"""The schema's examples: real seed records, pinned in ``examples.json`` (see ``examples``)."""

import json
from pathlib import Path

EXAMPLES_PATH = Path(__file__).with_name("examples.json")


def load_examples() -> dict:
    if not EXAMPLES_PATH.exists():
        return {}
    return json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))


def example(key: str) -> dict | None:
    return load_examples().get(key)

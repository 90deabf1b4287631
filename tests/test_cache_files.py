"""The cache's files: JSON written whole, in pieces, and read back as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sitegen.cache_files import write_json


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"format": 2, "files": {}},
        {"format": 2, "files": {"a/index.html": ["x", [], "y", 10, 5, ""]}},
        # More entries than one piece holds, text that JSON escapes, nested values.
        {
            "fingerprint": "f",
            "entries": {
                f'key {n} \u00e9\n"{n}"': {"html": "<p>caf\u00e9</p>" * (n % 3), "n": n}
                for n in range(700)
            },
            "last": [1, None, True],
        },
    ],
)
def test_what_is_written_reads_back_as_json_dumps_would_write_it(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    assert write_json(tmp_path, "cache.json", data)
    text = (tmp_path / "cache.json").read_text(encoding="utf-8")
    assert json.loads(text) == data
    assert text == json.dumps(data, separators=(",", ":"))
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_a_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    assert not write_json(tmp_path / "taken", "cache.json", {"a": 1})

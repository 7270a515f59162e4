"""The project documents itself: links resolve, every schema field is documented and described."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from summarizer.schema import json_schema
from tests.conftest import ROOT

_LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)#\s]+)(?:#[^)]*)?\)")


def _tracked(*patterns: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = [
        f"{page.relative_to(ROOT)} -> {target}"
        for page in _tracked("*.md")
        for target in _LINK.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert not broken, broken


def test_no_file_cites_a_document_the_repository_lacks() -> None:
    cited = [
        str(path.relative_to(ROOT))
        for path in _tracked("*.md", "*.py", "*.j2", "*.toml")
        if re.search(r"\bSPEC(?:\.md)?\s*§|\bSPEC\.md\b", path.read_text(encoding="utf-8"))
    ]
    assert not cited, cited


def _properties() -> dict[str, dict[str, object]]:
    schema = json_schema()
    found: dict[str, dict[str, object]] = {}
    for node in [schema, *schema.get("$defs", {}).values()]:
        found.update({f"{node.get('title')}.{k}": v for k, v in node.get("properties", {}).items()})
    return found


def test_every_schema_property_has_a_description() -> None:
    properties = _properties()
    assert len(properties) >= 30
    assert [name for name, prop in properties.items() if not prop.get("description")] == []


def test_every_schema_field_is_in_the_reference() -> None:
    page = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    missing = [name for name in _properties() if f"`{name.split('.')[1]}`" not in page]
    assert not missing, missing

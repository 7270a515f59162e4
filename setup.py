"""Package discovery: every package and data folder under ``summarizer/``, plus ``prompts/`` as
``summarizer._prompts``. The rest is declared in ``pyproject.toml``, which cannot express "found
packages plus one mapped folder"; so the list is computed here and never written by hand."""

from setuptools import find_namespace_packages, setup

FOUND = find_namespace_packages(include=["summarizer", "summarizer.*"], exclude=["*.__pycache__"])

setup(packages=[*FOUND, "summarizer._prompts"])

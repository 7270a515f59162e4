"""Jinja templates shipped with sanctions-summarizer (data, not code)."""

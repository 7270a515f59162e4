"""Deterministic extractors: candidates with char offsets for the assisted strategy."""

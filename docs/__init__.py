"""Helpers that build and test the documentation site (not part of the package)."""

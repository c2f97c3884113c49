"""The wire format: one plan per class, the readers and writers derived from it, and the
JSON Schema."""

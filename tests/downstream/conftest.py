"""test_downstream.py runs in a fresh environment against the built wheel (see
tests/test_downstream_wheel.py), never inside this repository's own test run."""

collect_ignore = ["test_downstream.py"]

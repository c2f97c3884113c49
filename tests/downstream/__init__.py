"""A downstream tool's tests, run only against the built wheel (see ../test_downstream_wheel.py)."""

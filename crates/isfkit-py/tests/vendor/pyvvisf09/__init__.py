"""pyvvisf 0.9.0's test suite (a package, so its conftest does not shadow ../conftest.py)."""

"""Test package (packages keep test module names unique for pytest and mypy)."""

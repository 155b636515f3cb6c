"""Test helpers: a local emulator of the SMSC service."""

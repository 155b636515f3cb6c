"""The SDK against the bundled emulator (in-process and over loopback sockets)."""

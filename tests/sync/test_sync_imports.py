"""``import smsc`` does not load the sync face; ``smsc.SMSCClient`` loads it on first use."""

from __future__ import annotations

import subprocess
import sys

import smsc


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(result.stdout.split())


def test_import_smsc_does_not_import_the_sync_modules() -> None:
    loaded = _modules_after("import smsc")
    assert {name for name in loaded if name.startswith("smsc._sync")} == set()


def test_smsc_sync_client_is_loaded_on_first_use() -> None:
    loaded = _modules_after("import smsc\nsmsc.SMSCClient")
    assert "smsc._sync._client" in loaded


def test_the_lazy_name_is_the_generated_class() -> None:
    from smsc._sync._client import SMSCClient

    assert smsc.SMSCClient is SMSCClient
    assert "SMSCClient" in smsc.__all__

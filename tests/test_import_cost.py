"""``import smsc`` stays cheap (issue 27): campaigns, limiters, the e-mail gateway and the
command line's libraries load on first use, not with the package or with the client.

Each check runs in a fresh interpreter (a subprocess), where ``sys.modules`` shows what an
import really pulled in. No timing is asserted here: ``benchmarks/import_time.py`` measures.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

LOADED_ON_FIRST_USE = ("smsc._bulk", "smsc._smtp", "smsc._limits", "smsc.callbacks")
CLI_LIBRARIES = ("rich", "click")

# Refuses any import of the command line's libraries: smsc must neither need nor load them
# (httpx imports them for its own command line when they are installed, and copes without).
_BLOCK_CLI = """
import sys
class _Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {blocked!r}:
            raise ImportError("blocked in this test: " + name)
        return None
sys.meta_path.insert(0, _Blocked())
"""


def loaded_after(code: str, *, block_cli: bool = False) -> list[str]:
    """The watched modules loaded by ``code`` in a fresh interpreter."""
    watched = (*LOADED_ON_FIRST_USE, *CLI_LIBRARIES, "smsc.resources", "aiosmtplib")
    report = f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))"
    script = "\n".join(
        [
            _BLOCK_CLI.format(blocked=CLI_LIBRARIES) if block_cli else "",
            "import json, sys",
            code,
            report,
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def _own(loaded: list[str]) -> list[str]:
    # httpx itself imports rich and click when they are installed: not counted here.
    return [name for name in loaded if name not in CLI_LIBRARIES]


def test_import_smsc_loads_no_campaign_limiter_smtp_or_callbacks_module() -> None:
    assert _own(loaded_after("import smsc")) == []


def test_a_client_is_made_without_campaigns_limiters_or_the_smtp_gateway() -> None:
    code = "from smsc import AsyncSMSCClient\nAsyncSMSCClient(login='a', password='b')"
    assert _own(loaded_after(code)) == ["smsc.resources"]


@pytest.mark.parametrize(
    "code",
    [
        "import smsc",
        "from smsc import AsyncSMSCClient\nAsyncSMSCClient(login='a', password='b')",
        "from smsc import SendResult, SMSCError, parse_phones\nparse_phones('79991234567')",
    ],
)
def test_smsc_neither_needs_nor_loads_the_command_line_libraries(code: str) -> None:
    assert not set(loaded_after(code, block_cli=True)) & set(CLI_LIBRARIES)


def test_a_name_loaded_on_first_use_is_the_same_object_as_its_module_s() -> None:
    code = (
        "import smsc\nfrom smsc._bulk import Campaign\n"
        "assert smsc.Campaign is Campaign\nassert 'Campaign' in dir(smsc)"
    )
    assert "smsc._bulk" in loaded_after(code)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import smsc

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = smsc.no_such_name

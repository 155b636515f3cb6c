"""The fresh-install check: build the sdist and the wheel, install the wheel in new virtual
environments, and use it as someone who only ran ``pip install`` would.

``make check-dist`` (part of ``make test``) runs ``python -m tests.packaging.check_dist``.
It needs the ``build`` and ``twine`` of the ``dev`` extra and the package index (pip's cache
serves what was installed before). Steps:

1. ``python -m build``: the sdist, then the wheel built from that sdist (so a file missing
   from the sdist breaks the wheel here, not on a user's machine);
2. ``twine check --strict``: the metadata and the README render on the package index;
3. the metadata: the four project links (Documentation, Source, Changelog, Issues) over
   https and not ``example.invalid``, every extra declared, the README's links absolute;
   the sdist holds the docs, and their code is written out (no include marker);
4. three new virtual environments (not one per extra, to keep the check near a minute: the
   extras share most of their dependencies, and each of the three covers what a user meets):

   - ``core``: the wheel alone: ``import smsc``, every name backed by an extra refuses with
     its install hint, ``python -m smsc.testing`` serves a request for a second, ``smsc``
     says it needs the ``cli`` extra;
   - ``cli``: the wheel with ``[cli]`` only: ``smsc --help``, ``smsc emulator`` serves a
     request for a second;
   - ``all``: the wheel with every user extra
     (``testing,fastapi,aiohttp,httpx2,otel,cli,redis,worker``):
     every extra-backed name imports, with the extras' own packages, and the emulator
     serves its SMTP gateway too.

``--each-extra`` adds one environment per extra (slower; for a release).
"""

from __future__ import annotations

import argparse
import email.parser
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USER_EXTRAS = ("testing", "fastapi", "aiohttp", "httpx2", "otel", "cli", "redis", "worker")
LINKS = ("Documentation", "Source", "Changelog", "Issues")
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]


class CheckFailed(Exception):
    """One check of the fresh install failed; the message says which and why."""


def step(title: str) -> None:
    print(f"check-dist: {title}", flush=True)


def run(command: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` (in ``cwd``); :class:`CheckFailed` with its output when it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=cwd
    )
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


# ---------------------------------------------------------------------------- build


def build(out: Path) -> tuple[Path, Path]:
    """The sdist and the wheel (built from the sdist) in ``out``."""
    step("building the sdist and the wheel")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)])
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    step(f"twine check --strict {sdist.name} {wheel.name}")
    run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)])
    return sdist, wheel


def check_metadata(wheel: Path) -> None:
    """The wheel's links, extras and long description."""
    step("checking the metadata")
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    links = {
        label.strip(): url.strip()
        for label, _, url in (entry.partition(",") for entry in metadata.get_all("Project-URL", []))
    }
    if sorted(links) != sorted(LINKS):
        raise CheckFailed(f"project links {sorted(links)}, expected {sorted(LINKS)}")
    for label, url in links.items():
        host = urllib.parse.urlsplit(url).hostname or ""
        if not url.startswith("https://") or host.endswith((".invalid", "example.com")):
            raise CheckFailed(f"project link {label} is not a real https address: {url}")
    extras = set(metadata.get_all("Provides-Extra", []))
    if not set(USER_EXTRAS) <= extras:
        raise CheckFailed(f"extras {sorted(extras)} lack {sorted(set(USER_EXTRAS) - extras)}")
    description = metadata.get_payload()
    assert isinstance(description, str)
    if "](docs/" in description or "--8<--" in description:
        raise CheckFailed("the README on the package index links into docs/ relatively")


def check_sdist(sdist: Path) -> None:
    """The sdist carries the docs, with their code written out."""
    step("checking the sdist's files")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        for needed in ("README.md", "CHANGELOG.md", "hatch_build.py", "docs/cli.md"):
            if needed not in names:
                raise CheckFailed(f"the sdist lacks {needed}")
        for name in sorted(names):
            if not (name.startswith("docs/") and name.endswith(".md")):
                continue
            if name == "docs/changelog.md":  # the site's copy of CHANGELOG.md, included
                continue
            member = archive.extractfile(f"{sdist.name.removesuffix('.tar.gz')}/{name}")
            assert member is not None
            if '--8<-- "' in member.read().decode("utf-8"):
                raise CheckFailed(f"{name} in the sdist hides code behind an include marker")


# ---------------------------------------------------------------------------- install


def new_venv(folder: Path, wheel: Path, extras: tuple[str, ...]) -> Path:
    """A new virtual environment with the wheel (and ``extras``); its ``bin`` folder.

    The environment has no pip of its own: this pip installs into it (``--python``), which
    saves ensurepip's seconds per environment; pip's cache serves the downloads.
    """
    label = f"[{','.join(extras)}]" if extras else "(no extra)"
    step(f"installing the wheel {label} in a new venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(folder)])
    bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
    requirement = f"{wheel}[{','.join(extras)}]" if extras else str(wheel)
    run([*PIP, "--python", str(bin_dir / "python"), "install", requirement])
    return bin_dir


def python(bin_dir: Path, code: str) -> str:
    return run([str(bin_dir / "python"), "-c", code], cwd=tempfile.gettempdir()).stdout


def serve_a_second(command: list[str], *, smtp: bool = False) -> None:
    """Start the emulator with ``command``, ask it for the demo account's balance over HTTP
    within a few seconds (and its SMTP greeting), and stop it with Ctrl-C (SIGINT)."""
    import signal
    import socket

    options = ["--port", str(free_port()), "--login", "demo", "--password", "demo"]
    smtp_port = free_port()
    if smtp:
        options += ["--smtp-port", str(smtp_port)]
    process = subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tempfile.gettempdir(),
    )
    try:
        assert process.stdout is not None
        assert process.stderr is not None
        line = process.stdout.readline()
        if "listening on" not in line:
            raise CheckFailed(f"{' '.join(command)} printed {line!r}: {process.stderr.read()}")
        url = line.split("listening on ", 1)[1].strip().replace("send.php", "balance.php")
        query = urllib.parse.urlencode({"login": "demo", "psw": "demo", "fmt": 3})
        with urllib.request.urlopen(f"{url}?{query}", timeout=30) as answer:
            balance = json.loads(answer.read())
        if "balance" not in balance:
            raise CheckFailed(f"{' '.join(command)}: the balance request answered {balance}")
        if smtp:
            with socket.create_connection(("127.0.0.1", smtp_port), timeout=30) as connection:
                if not connection.recv(100).startswith(b"220"):
                    raise CheckFailed(f"{' '.join(command)}: no SMTP greeting")
        time.sleep(1.0)  # "for a second": it keeps serving
        if process.poll() is not None:
            raise CheckFailed(f"{' '.join(command)} stopped by itself")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise CheckFailed(f"{' '.join(command)} did not stop on Ctrl-C") from None
    if process.returncode != 0:
        raise CheckFailed(f"{' '.join(command)} exited {process.returncode} on Ctrl-C")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


IMPORT_CORE = """
import smsc, sys
assert smsc.__version__, "no version"
for name, extra in [("RedisLimiter", "redis"), ("RedisSeenSet", "redis"),
                    ("AiohttpTransport", "aiohttp")]:
    try:
        getattr(smsc, name)
    except smsc.MissingExtraError as exc:
        assert f'pip install "smsc-async[{extra}]"' in str(exc), exc
    else:
        sys.exit(f"smsc.{name} imported without its extra")
print(smsc.__version__)
"""

IMPORT_ALL = """
import smsc, smsc.testing, smsc.testing._pytest_plugin, smsc.cli._app, smsc.otel
from smsc import AiohttpTransport, RedisLimiter, RedisSeenSet, SMSCClient
from smsc._http.httpx2_transport import Httpx2Transport
import aiohttp, aiosmtpd, click, fastapi, httpx2, multipart, opentelemetry, pytest_asyncio
import redis, rich, taskiq, taskiq_redis, uvicorn
print(smsc.__version__)
"""


def check_core(bin_dir: Path) -> None:
    step("core: import smsc, the extras' hints, the emulator, smsc without the cli extra")
    python(bin_dir, IMPORT_CORE)
    serve_a_second([str(bin_dir / "python"), "-m", "smsc.testing"])
    result = subprocess.run(
        [str(bin_dir / "smsc"), "--help"], capture_output=True, text=True, timeout=60
    )
    if result.returncode == 0 or "pip install 'smsc-async[cli]'" not in result.stderr:
        raise CheckFailed(f"smsc without the cli extra: {result.returncode} {result.stderr}")


def check_cli(bin_dir: Path) -> None:
    step("cli: smsc --help, smsc emulator")
    shown = run([str(bin_dir / "smsc"), "--help"]).stdout
    for word in ("send", "status", "bulk", "history", "emulator", "Exit codes"):
        if word not in shown:
            raise CheckFailed(f"smsc --help does not show {word!r}:\n{shown}")
    serve_a_second([str(bin_dir / "smsc"), "emulator"])


def check_all(bin_dir: Path) -> None:
    step("all extras: every extra-backed name imports, the emulator with SMTP")
    python(bin_dir, IMPORT_ALL)
    run([str(bin_dir / "smsc"), "--help"])
    serve_a_second([str(bin_dir / "python"), "-m", "smsc.testing"], smtp=True)


def check_each_extra(folder: Path, wheel: Path) -> None:
    for extra in USER_EXTRAS:
        bin_dir = new_venv(folder / f"venv-{extra}", wheel, (extra,))
        python(bin_dir, "import smsc; print(smsc.__version__)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.packaging.check_dist")
    parser.add_argument("--each-extra", action="store_true", help="also one venv per extra")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="smsc-check-dist-") as temporary:
        folder = Path(temporary)
        try:
            sdist, wheel = build(folder / "dist")
            check_metadata(wheel)
            check_sdist(sdist)
            check_core(new_venv(folder / "venv-core", wheel, ()))
            check_cli(new_venv(folder / "venv-cli", wheel, ("cli",)))
            check_all(new_venv(folder / "venv-all", wheel, USER_EXTRAS))
            if args.each_extra:
                check_each_extra(folder, wheel)
        except CheckFailed as failure:
            print(f"check-dist: FAILED: {failure}", file=sys.stderr)
            return 1
    step(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

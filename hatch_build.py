"""Build hook: the project's links, filled in from one place.

``[tool.hatch.metadata.hooks.custom]`` in ``pyproject.toml`` holds the two addresses of the
project, ``repository`` and ``documentation``. This hook makes the package's links from
them (Documentation, Source, Changelog, Issues) and the package's long description from
``README.md`` with its relative links (``docs/cli.md``) made absolute, so that the README
reads right on the package index as well as in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface

_DOC_LINK = re.compile(r"\]\((?P<path>docs/[\w./-]+?)\.md(?P<anchor>#[\w-]+)?\)")
_FILE_LINK = re.compile(r"\]\((?P<path>(?!https?:|#|docs/)[\w./-]+)\)")


def project_urls(repository: str, documentation: str) -> dict[str, str]:
    """The package's links, made from the repository's and the documentation's address."""
    repository, documentation = repository.rstrip("/"), documentation.rstrip("/")
    return {
        "Documentation": documentation + "/",
        "Source": repository,
        "Changelog": f"{repository}/blob/main/CHANGELOG.md",
        "Issues": f"{repository}/issues",
    }


def absolute_links(readme: str, repository: str, documentation: str) -> str:
    """``readme`` with links to ``docs/x.md`` pointing at the site's page ``x/`` and links to
    other files of the repository at the repository."""
    repository, documentation = repository.rstrip("/"), documentation.rstrip("/")

    def page(match: re.Match[str]) -> str:
        name = match.group("path").removeprefix("docs/")
        path = "" if name == "index" else f"{name}/"
        return f"]({documentation}/{path}{match.group('anchor') or ''})"

    readme = _DOC_LINK.sub(page, readme)
    return _FILE_LINK.sub(lambda m: f"]({repository}/blob/main/{m.group('path')})", readme)


class CustomMetadataHook(MetadataHookInterface):
    """Sets the dynamic ``urls`` and ``readme`` of ``[project]``."""

    def update(self, metadata: dict[str, Any]) -> None:
        repository = str(self.config["repository"])
        documentation = str(self.config["documentation"])
        metadata["urls"] = project_urls(repository, documentation)
        readme = Path(self.root, "README.md").read_text(encoding="utf-8")
        metadata["readme"] = {
            "content-type": "text/markdown",
            "text": absolute_links(readme, repository, documentation),
        }

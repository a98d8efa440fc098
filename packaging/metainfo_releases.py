"""Copy the releases in CHANGELOG.md into the AppStream metainfo's <releases> block.

CHANGELOG.md is where releases are written (Keep a Changelog: `## [1.2.0] - 2026-01-31`,
`### Added` groups, `- ` items); software centres read the same history from the
metainfo file. This script regenerates the metainfo block from the changelog so the
two never drift:

    python packaging/metainfo_releases.py          # rewrite the block
    python packaging/metainfo_releases.py --check  # exit 1 if it is out of date

"Unreleased" is skipped. Inline markdown is reduced to what AppStream descriptions
allow: `code` becomes <code>, links keep their text, everything else is escaped.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
CHANGELOG = REPO / "CHANGELOG.md"
METAINFO = REPO / "resources" / "io.github.incidentkit.IncidentKit.metainfo.xml"

RELEASE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>\S+))?\s*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BLOCK = re.compile(r"^(?P<indent>[ \t]*)(?:<releases\s*/>|<releases>.*?</releases>)", re.S | re.M)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


class ChangelogError(Exception):
    """A changelog line this script cannot turn into a release; the message names it."""


@dataclass
class Release:
    version: str
    date: str
    # Each block is ("p", text) or ("ul", [item, ...]).
    blocks: list[tuple[str, object]] = field(default_factory=list)


def inline(text: str) -> str:
    """Markdown inline text as AppStream description markup."""
    parts = LINK.sub(r"\1", text).split("`")
    return "".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p) for i, p in enumerate(parts))


def parse_changelog(text: str, name: str = "CHANGELOG.md") -> list[Release]:
    """The dated releases in `text`, newest first as written."""
    releases: list[Release] = []
    current: Release | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("## "):
            match = RELEASE_HEADING.match(line)
            if not match:
                raise ChangelogError(f"{name}:{number}: expected '## [VERSION] - YYYY-MM-DD', got {line!r}")
            current = None
            if match["version"].lower() == "unreleased":
                continue
            if not match["date"] or not DATE.match(match["date"]):
                raise ChangelogError(f"{name}:{number}: release {match['version']} needs a date (YYYY-MM-DD)")
            current = Release(match["version"], match["date"])
            releases.append(current)
        elif current is None or not line.strip():
            continue
        elif line.startswith("### "):
            current.blocks.append(("p", line[4:].strip()))
        elif line.startswith(("- ", "* ")):
            if not current.blocks or current.blocks[-1][0] != "ul":
                current.blocks.append(("ul", []))
            current.blocks[-1][1].append(line[2:].strip())
        elif raw.startswith((" ", "\t")) and current.blocks and current.blocks[-1][0] == "ul":
            items = current.blocks[-1][1]
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            current.blocks.append(("p", line.strip()))
    return releases


def releases_xml(releases: list[Release], indent: str = "  ") -> str:
    """The <releases> element for `releases`, each line prefixed with `indent`."""
    step = "  "
    out = [f"{indent}<releases>"]
    for release in releases:
        inner = indent + step * 2
        out.append(f'{indent}{step}<release version="{escape(release.version)}" date="{release.date}">')
        out.append(f"{inner}<description>")
        for kind, content in release.blocks:
            if kind == "p":
                out.append(f"{inner}{step}<p>{inline(content)}</p>")
            else:
                out.append(f"{inner}{step}<ul>")
                out.extend(f"{inner}{step * 2}<li>{inline(item)}</li>" for item in content)
                out.append(f"{inner}{step}</ul>")
        out.append(f"{inner}</description>")
        out.append(f"{indent}{step}</release>")
    out.append(f"{indent}</releases>")
    return "\n".join(out)


def updated_metainfo(metainfo: str, releases: list[Release], name: str) -> str:
    """`metainfo` with its <releases> block replaced by one built from `releases`."""
    match = BLOCK.search(metainfo)
    if not match:
        raise ChangelogError(f"{name}: no <releases> element to fill in")
    block = releases_xml(releases, match["indent"])
    return metainfo[: match.start()] + block + metainfo[match.end():]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the metainfo is out of date")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    parser.add_argument("--metainfo", type=Path, default=METAINFO)
    args = parser.parse_args(argv)
    try:
        releases = parse_changelog(args.changelog.read_text(encoding="utf-8"), str(args.changelog))
        current = args.metainfo.read_text(encoding="utf-8")
        wanted = updated_metainfo(current, releases, str(args.metainfo))
    except (OSError, UnicodeDecodeError, ChangelogError) as exc:
        print(f"metainfo_releases: error: {exc}", file=sys.stderr)
        return 1
    if wanted == current:
        return 0
    if args.check:
        print(f"metainfo_releases: error: {args.metainfo} is out of date with {args.changelog}; "
              "run python packaging/metainfo_releases.py", file=sys.stderr)
        return 1
    args.metainfo.write_text(wanted, encoding="utf-8")
    print(f"metainfo_releases: wrote {len(releases)} release(s) into {args.metainfo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

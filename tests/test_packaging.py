"""Packaging: wheel and sdist, the PyInstaller bundle, and the Linux desktop files.

Everything here runs the real tools (python -m build, pip, PyInstaller,
desktop-file-validate, appstreamcli) on the real files; the builds are marked slow.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from tools import has_tool, need_tool

import incidentkit

APP_ID = "io.github.incidentkit.IncidentKit"
REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
HICOLOR = RESOURCES / "icons" / "hicolor"
PNG_SIZES = (16, 32, 48, 64, 128, 256)
RELEASES_SCRIPT = REPO / "packaging" / "metainfo_releases.py"
BUILTIN_PLAYBOOK = "vendor-data-breach"
BUILTIN_FIRST_STEP = "scope-record-awareness"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 600)
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "INCIDENTKIT_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", **extra}


def assert_builtin_playbook_from(listed: subprocess.CompletedProcess[str], root: Path) -> None:
    """`incidentkit playbooks --json` found the built-in playbook inside `root`."""
    assert listed.returncode == 0, listed.stderr
    found = {p["id"]: p for p in json.loads(listed.stdout)["playbooks"]}
    assert found[BUILTIN_PLAYBOOK]["source"] == "builtin"
    assert Path(found[BUILTIN_PLAYBOOK]["path"]).is_relative_to(root)


# --- desktop integration ---------------------------------------------------------


def test_desktop_file_validates():
    tool = need_tool("desktop-file-validate", package="desktop-file-utils")
    proc = run([tool, str(DESKTOP)])
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_metainfo_validates():
    tool = need_tool("appstreamcli", package="appstream")
    proc = run([tool, "validate", "--no-net", str(METAINFO)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_desktop_metainfo_and_icons_share_the_app_id():
    desktop = dict(
        line.split("=", 1) for line in DESKTOP.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    assert desktop["Icon"] == APP_ID
    assert desktop["Exec"].split()[0] == "incidentkit-gui"  # the gui-script: no console, no click
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("icon") == APP_ID
    assert root.findtext("provides/binary") == "incidentkit"
    assert (HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in PNG_SIZES:
        png = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size), png


def test_metainfo_screenshots_point_into_this_repository():
    root = ET.parse(METAINFO).getroot()
    homepage = root.findtext("url[@type='homepage']")
    owner_repo = homepage.removeprefix("https://github.com/").strip("/")
    images = [img.text.strip() for img in root.iterfind("screenshots/screenshot/image")]
    assert images
    for url in images:
        prefix = f"https://raw.githubusercontent.com/{owner_repo}/main/"
        assert url.startswith(prefix), url
        assert (REPO / url.removeprefix(prefix)).is_file(), f"{url} names no file in the repository"


def test_windows_and_macos_icons_hold_every_size():
    ico = (REPO / "packaging" / "icons" / "incidentkit.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        side = width or 256
        assert png_size(ico[offset:offset + length]) == (side, side)
        sizes.append(side)
    assert {16, 32, 48, 256} <= set(sizes)

    icns = (REPO / "packaging" / "icons" / "incidentkit.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    pos, found = 8, {}
    while pos < len(icns):
        kind, length = icns[pos:pos + 4], struct.unpack(">I", icns[pos + 4:pos + 8])[0]
        found[kind] = png_size(icns[pos + 8:pos + length])[0]
        pos += length
    assert found[b"ic07"] == 128 and found[b"ic08"] == 256 and found[b"ic10"] == 1024


# --- CHANGELOG.md -> metainfo releases --------------------------------------------


def test_metainfo_releases_match_the_changelog():
    proc = run([sys.executable, str(RELEASES_SCRIPT), "--check"])
    assert proc.returncode == 0, proc.stderr


def test_newest_release_is_the_package_version():
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases[0].get("version") == incidentkit.__version__


def test_releases_script_detects_and_fixes_drift(tmp_path: Path):
    changelog, metainfo = tmp_path / "CHANGELOG.md", tmp_path / "app.metainfo.xml"
    changelog.write_text(
        (REPO / "CHANGELOG.md").read_text(encoding="utf-8").replace(
            "## [Unreleased]\n",
            "## [Unreleased]\n\n## [9.9.0] - 2027-01-02\n\n### Fixed\n\n- Exports keep `<b>` as text\n"
            "  across [two lines](https://example.org).\n",
        ),
        encoding="utf-8",
    )
    shutil.copy(METAINFO, metainfo)
    args = [sys.executable, str(RELEASES_SCRIPT), "--changelog", str(changelog), "--metainfo", str(metainfo)]

    stale = run([*args, "--check"])
    assert stale.returncode == 1 and "out of date" in stale.stderr
    assert metainfo.read_bytes() == METAINFO.read_bytes()

    assert run(args).returncode == 0
    assert run([*args, "--check"]).returncode == 0
    newest = ET.parse(metainfo).getroot().find("releases/release")
    assert (newest.get("version"), newest.get("date")) == ("9.9.0", "2027-01-02")
    assert newest.findtext("description/p") == "Fixed"
    item = newest.find("description/ul/li")
    assert item.findtext("code") == "<b>"
    assert "".join(item.itertext()) == "Exports keep <b> as text across two lines."


def test_releases_script_names_the_bad_changelog_line(tmp_path: Path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [1.0.0]\n\n- first\n", encoding="utf-8")
    metainfo = tmp_path / "app.metainfo.xml"
    shutil.copy(METAINFO, metainfo)
    proc = run([sys.executable, str(RELEASES_SCRIPT), "--changelog", str(changelog), "--metainfo", str(metainfo)])
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"metainfo_releases: error: {changelog}:3: release 1.0.0 needs a date (YYYY-MM-DD)"
    ]
    assert metainfo.read_bytes() == METAINFO.read_bytes()


# --- wheel and sdist ---------------------------------------------------------------


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`python -m build`: the sdist, and the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dists")
    proc = run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


@pytest.fixture(scope="module")
def wheel_site(dists: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (non-editable, without dependencies) into a folder of its own."""
    site = tmp_path_factory.mktemp("wheel-site")
    proc = run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--target", str(site),
                str(dists["wheel"])])
    assert proc.returncode == 0, proc.stderr
    return site


def wheel_env(site: Path, data_dir: Path) -> dict[str, str]:
    # The wheel's copy comes first on sys.path; the editable install's finder only
    # answers for what the path finders miss, and the dependencies come from .venv.
    return app_env(data_dir, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))


@pytest.mark.slow
def test_sdist_carries_playbooks_resources_and_packaging(dists: dict[str, Path]):
    with tarfile.open(dists["sdist"]) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert f"playbooks/{BUILTIN_PLAYBOOK}.md" in names
    assert f"resources/{DESKTOP.name}" in names and f"resources/{METAINFO.name}" in names
    assert f"resources/icons/hicolor/256x256/apps/{APP_ID}.png" in names
    assert {"CHANGELOG.md", "packaging/incidentkit.spec", "packaging/incidentkit_gui_main.py",
            "packaging/icons/incidentkit.ico"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.mark.slow
def test_wheel_ships_the_data_as_package_data(dists: dict[str, Path]):
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    assert f"incidentkit/playbooks/{BUILTIN_PLAYBOOK}.md" in names
    assert f"incidentkit/resources/{DESKTOP.name}" in names
    assert f"incidentkit/resources/icons/hicolor/scalable/apps/{APP_ID}.svg" in names
    wheel = zipfile.ZipFile(dists["wheel"])
    entry_points = wheel.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "[console_scripts]\nincidentkit = incidentkit.cli:main" in entry_points
    assert "[gui_scripts]\nincidentkit-gui = incidentkit.ui.launch:main" in entry_points


@pytest.mark.slow
def test_installed_wheel_finds_its_playbooks_and_resources(wheel_site: Path, data_dir: Path):
    probe = (
        "import importlib.resources as r, incidentkit\n"
        "print(incidentkit.__file__)\n"
        "print(r.files('incidentkit.playbooks'))\n"
        f"print((r.files('incidentkit.resources') / '{DESKTOP.name}').is_file())\n"
    )
    proc = run([sys.executable, "-c", probe], env=wheel_env(wheel_site, data_dir), cwd=data_dir)
    assert proc.returncode == 0, proc.stderr
    module_file, playbooks_dir, has_desktop = proc.stdout.splitlines()
    assert Path(module_file).is_relative_to(wheel_site), "the editable install won over the wheel"
    assert Path(playbooks_dir).is_relative_to(wheel_site)
    assert has_desktop == "True"

    listed = run([sys.executable, "-m", "incidentkit", "playbooks", "--json"], env=wheel_env(wheel_site, data_dir),
                 cwd=data_dir)
    assert_builtin_playbook_from(listed, wheel_site)


@pytest.mark.slow
def test_installed_wheel_takes_a_screenshot(wheel_site: Path, data_dir: Path, tmp_path: Path):
    shot = tmp_path / "shot.png"
    proc = run([sys.executable, "-m", "incidentkit", "gui", "--screenshot", str(shot), "--size", "800x600"],
               env=wheel_env(wheel_site, data_dir), cwd=data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert png_size(shot.read_bytes()) == (800, 600)


# --- the PyInstaller bundle --------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory):
    """dist/incidentkit/ built from packaging/incidentkit.spec, as `make dist` does, under tmp."""
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(work / "dist"),
                "--workpath", str(work / "build"), str(REPO / "packaging" / "incidentkit.spec")], cwd=work)
    assert proc.returncode == 0, proc.stderr[-5000:]
    yield work / "dist" / "incidentkit" / "incidentkit"
    shutil.rmtree(work, ignore_errors=True)  # about 180 MB


def bundle_env(data_dir: Path) -> dict[str, str]:
    env = app_env(data_dir)
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.slow
def test_bundle_reports_its_version_and_lists_the_builtin_playbook(bundle: Path, data_dir: Path):
    version = run([str(bundle), "--version"], env=bundle_env(data_dir), cwd=data_dir)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"incidentkit, version {incidentkit.__version__}"
    listed = run([str(bundle), "playbooks", "--json"], env=bundle_env(data_dir), cwd=data_dir)
    assert_builtin_playbook_from(listed, bundle.parent)
    # The window's own executable beside it, as the desktop launcher runs it.
    gui = run([str(bundle.with_name("incidentkit-gui")), "--version"], env=bundle_env(data_dir), cwd=data_dir)
    assert (gui.returncode, gui.stdout.strip()) == (0, f"incidentkit-gui, version {incidentkit.__version__}"), gui.stderr


@pytest.mark.slow
def test_bundle_takes_a_screenshot_offscreen(bundle: Path, data_dir: Path, tmp_path: Path):
    shot = tmp_path / "bundle-shot.png"
    proc = run([str(bundle), "gui", "--screenshot", str(shot), "--size", "1024x700"],
               env=bundle_env(data_dir), cwd=data_dir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert png_size(shot.read_bytes()) == (1024, 700)


@pytest.mark.slow
def test_bundle_runs_an_incident_and_exports_a_pdf(bundle: Path, data_dir: Path, tmp_path: Path):
    env = bundle_env(data_dir)
    created = run([str(bundle), "incident", "new", "--playbook", BUILTIN_PLAYBOOK, "--title", "Bundle drill"],
                  env=env, cwd=data_dir)
    assert created.returncode == 0, created.stderr
    # A note in markdown: the exports parse it (mdformat's GitHub plugin, found by entry point).
    noted = run([str(bundle), "note", created.stdout.strip(), BUILTIN_FIRST_STEP, "**Vendor** said | yes |"],
                env=env, cwd=data_dir)
    assert noted.returncode == 0, noted.stderr
    md = tmp_path / "drill.md"
    exported = run([str(bundle), "export", created.stdout.strip(), "-o", str(md)], env=env, cwd=data_dir)
    assert exported.returncode == 0, exported.stderr
    assert "**Vendor** said | yes |" in md.read_text(encoding="utf-8")
    pdf = tmp_path / "drill.pdf"
    exported = run([str(bundle), "export", created.stdout.strip(), "--format", "pdf", "-o", str(pdf)],
                   env=env, cwd=data_dir)
    assert exported.returncode == 0, exported.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if has_tool("pdftotext", package="poppler-utils"):
        assert "Bundle drill" in run(["pdftotext", str(pdf), "-"]).stdout


@pytest.mark.slow
def test_bundle_drafts_a_notice_in_its_render_worker_and_checks_it(bundle: Path, data_dir: Path, tmp_path: Path):
    """The bundle is its own render worker (WORKER_ARG), and textstat finds its hyphenation data."""
    env = bundle_env(data_dir)
    created = run([str(bundle), "incident", "new", "--playbook", BUILTIN_PLAYBOOK, "--title", "Bundle notice"],
                  env=env, cwd=data_dir)
    assert created.returncode == 0, created.stderr
    incident = created.stdout.strip()
    letter = tmp_path / "letter.pdf"
    drafted = run([str(bundle), "notice", "draft", incident, "customer-notice-letter", "-o", str(letter)],
                  env=env, cwd=data_dir)
    assert drafted.returncode == 0, drafted.stderr
    assert letter.read_bytes().startswith(b"%PDF")
    checked = run([str(bundle), "notice", "check", incident, drafted.stdout.strip(), "--json"], env=env, cwd=data_dir)
    assert checked.returncode == 1, checked.stderr                 # placeholders: no details recorded
    assert json.loads(checked.stdout)["readability"]["grade"] > 0

"""No file of the project keeps a merge-conflict marker (one in a stylesheet silently drops the
rule after it: the phone layout of the decision page was lost that way once)."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".md", ".toml", ".yml", ".yaml", ".cfg", ".po"}


def test_no_tracked_file_keeps_a_merge_conflict_marker():
    root = Path(settings.BASE_DIR)
    listed = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 (git from PATH, as the developer runs it)
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    files = [root / name for name in listed if Path(name).suffix in SUFFIXES]
    if not files:  # not a git checkout (an sdist or an image): walk the sources instead
        files = [
            path
            for path in root.rglob("*")
            if path.suffix in SUFFIXES and not {".venv", "node_modules"} & set(path.parts)
        ]
    marked = [
        str(path.relative_to(root))
        for path in files
        if path.is_file() and MARKER.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert marked == []

"""Screenshots of the key pages, in English and Arabic, on a desktop and on a phone.

`make screenshots` runs this: it builds a fresh SQLite database with the demo data, starts the
development server on it, signs in as the demo account each page is meant for, and saves one
viewport-sized PNG per page, language and device to docs/screenshots/<page>-<en|ar>-<device>.png.
The README shows them. Nothing is edited by hand: run it again after changing how a page looks.

Needs Debian's chromium (CHROMIUM_PATH, or `chromium` on the PATH), like the browser tests.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo-Network-2026!")
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}
LANGUAGES = ("en", "ar")
LANGUAGE_NAMES = {"en": "English", "ar": "Arabic"}
README = ROOT / "README.md"
GALLERY_START = "<!-- screenshots: written by `make screenshots` (scripts/screenshots.py) -->"
GALLERY_END = "<!-- /screenshots -->"
TITLES = {
    "sign-in": "Sign-in",
    "dashboard": "Dashboard",
    "directory": "Directory",
    "organisation": "Organisation",
    "meetings": "Meetings",
    "meeting": "Meeting (a focal point to answer)",
    "agenda": "Agenda",
    "minutes": "Minutes",
    "decisions": "Decision register",
    "decision": "Decision (a focal point to answer)",
    "workplans": "Workplans",
    "workplan-summary": "Workplan summary",
    "deliverable": "Deliverable",
    "referrals": "Referrals",
    "reports": "Reports",
    "report": "Report",
}


def pages():
    """(name, the demo account that looks at it or None, its address): resolved on the demo data."""
    from django.urls import reverse

    from decisions.models import Decision
    from meetings.models import Meeting
    from members.models import Organisation
    from reports.models import Report
    from workplan.models import Deliverable, Workplan

    upcoming = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    held = Meeting.objects.filter(status="held").order_by("-starts_at").first()
    decision = Decision.objects.get(reference="UNNM-BH/2026/004")
    workplan = Workplan.objects.order_by("-year").first()
    deliverable = (
        Deliverable.objects.filter(workplan=workplan, lead_agency__acronym="IOM")
        .order_by("pk")
        .first()
    )
    report = Report.objects.order_by("-pk").first()
    focal = "iom.focal@example.org"
    return [
        ("sign-in", None, reverse("account_login")),
        ("dashboard", focal, reverse("core:dashboard")),
        ("directory", focal, reverse("members:directory")),
        (
            "organisation",
            focal,
            reverse("members:organisation", args=[Organisation.objects.get(acronym="IOM").pk]),
        ),
        ("meetings", focal, reverse("meetings:list")),
        # A focal point who still has to answer the invitation: the reply comes first.
        ("meeting", "unicef.focal@example.org", reverse("meetings:detail", args=[upcoming.pk])),
        ("agenda", focal, reverse("meetings:agenda_print", args=[upcoming.pk])),
        ("minutes", focal, reverse("meetings:minutes", args=[held.pk])),
        ("decisions", focal, reverse("decisions:list")),
        # A focal point whose agency has not recorded its position: the form comes first.
        ("decision", "unhcr.focal@example.org", reverse("decisions:detail", args=[decision.pk])),
        ("workplans", focal, reverse("workplan:index")),
        ("workplan-summary", focal, reverse("workplan:summary", args=[workplan.year])),
        ("deliverable", focal, reverse("workplan:deliverable", args=[deliverable.pk])),
        ("referrals", "iom.referrals@example.org", reverse("referrals:index")),
        ("reports", focal, reverse("reports:list")),
        ("report", focal, reverse("reports:detail", args=[report.pk])),
    ]


def set_language(email, language):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(email=email).update(preferred_language=language)


def run(command, env):
    # Our own fixed commands (manage.py with constant arguments).
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (http://127.0.0.1 only)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def shoot(base_url, out, only, languages, devices):
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    todo = [page for page in pages() if not only or page[0] in only]
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for language in languages:
            for device in devices:
                options = DEVICES[device]
                signed_in = {}
                for name, email, path in todo:
                    if email and email not in signed_in:
                        set_language(email, language)
                        context = browser.new_context(base_url=base_url, **options)
                        page = context.new_page()
                        page.goto("/accounts/login/")
                        page.fill("input[name=login]", email)
                        page.fill("input[name=password]", PASSWORD)
                        page.click("form:has(input[name=login]) button[type=submit]")
                        page.wait_for_load_state()
                        signed_in[email] = page
                    if email:
                        page = signed_in[email]
                    else:
                        context = browser.new_context(base_url=base_url, **options)
                        context.add_cookies(
                            [{"name": "django_language", "value": language, "url": base_url}]
                        )
                        page = context.new_page()
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{language}-{device}.png"
                    page.screenshot(path=str(target), animations="disabled")
                    shrink(target)
                    print(target)
                    if not email:
                        page.context.close()
                for page in signed_in.values():
                    page.context.close()
        browser.close()


def write_gallery(names):
    """The README's table of screenshots, between its two markers."""
    rows = [
        "| Page | English | Arabic | English, phone | Arabic, phone |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in names:
        cells = []
        for device, width in (("desktop", 160), ("phone", 60)):
            for language in LANGUAGES:
                src = f"docs/screenshots/{name}-{language}-{device}.png"
                alt = f"{TITLES.get(name, name)}, {LANGUAGE_NAMES[language]}, {device}"
                cells.append(f'<a href="{src}"><img src="{src}" width="{width}" alt="{alt}"></a>')
        rows.append(f"| {TITLES.get(name, name)} | " + " | ".join(cells) + " |")
    text = README.read_text()
    start, end = text.index(GALLERY_START), text.index(GALLERY_END)
    README.write_text(
        text[: start + len(GALLERY_START)] + "\n" + "\n".join(rows) + "\n" + text[end:]
    )


def shrink(path):
    """Fewer colours keep the PNGs small (a screenshot has few colours anyway)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCREENSHOTS_PORT", 8765)))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--database",
        type=Path,
        help="an SQLite file to keep between runs (seeded on the first); default: a fresh one",
    )
    parser.add_argument("--languages", nargs="+", choices=LANGUAGES, default=LANGUAGES)
    parser.add_argument("--devices", nargs="+", choices=list(DEVICES), default=list(DEVICES))
    parser.add_argument("pages", nargs="*", help="only these pages (default: all)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="unnm-screenshots-"))
    database = args.database.resolve() if args.database else workdir / "db.sqlite3"
    fresh = not database.exists()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_SETTINGS_MODULE": "unnm.settings",
    }
    python = sys.executable
    server = None
    try:
        if fresh:
            run([python, "manage.py", "migrate", "--no-input"], env)
            run([python, "manage.py", "seed_demo"], env)
        server = subprocess.Popen(  # noqa: S603 (manage.py runserver on a fixed address)
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{args.port}"
        wait_for(f"{base_url}/healthz")

        os.environ.update(env)
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        shoot(base_url, args.out, set(args.pages), args.languages, args.devices)
        if not args.pages and args.out.resolve() == (ROOT / "docs" / "screenshots").resolve():
            write_gallery([name for name, _, _ in pages()])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

"""`make bench`: every page of the portal measured as it runs in production.

    .venv/bin/python -m bench.run --size realistic      # what `make bench` runs
    .venv/bin/python -m bench.run --size stress --duration 10
    .venv/bin/python -m bench.run --only Decisions      # the pages whose name contains it

Steps: a PostgreSQL database of its own (unnm_bench_<size>, on the server of DATABASE_URL) is
created and migrated, filled once with `seed_scale --size <size>` (the demo network included),
static files are collected; gunicorn serves the portal with DEBUG off (2 workers, 127.0.0.1, a
free port), Redis as cache; the demo accounts sign in through the real login form; then for each
page of bench/pages.py: one request counted for its SQL queries (core/bench.py), and `wrk` at one
connection and at eight, for a few seconds each. The same for a bare view of one row, for the
ratio, and a "mixed reads" run over every browsed page at eight connections. Then the peak memory
of streaming the decisions CSV in a process of its own, and a pyinstrument profile of the slowest
page. The table goes into docs/BENCHMARKS.md between its markers; the raw figures into
docs/benchmarks/results-<size>.json.
"""

import argparse
import http.cookiejar
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "BENCHMARKS.md"
RESULTS = ROOT / "docs" / "benchmarks"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD") or "Demo-Network-2026!"

# Production settings, with what a benchmark needs: fixed keys (the data is seeded once and read
# on every run), plain HTTP on 127.0.0.1, and no second factor (the demo accounts have no
# authenticator; the check costs the same whether it passes or is off).
SERVER_ENVIRONMENT = {
    "DEBUG": "false",
    "BENCH": "true",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghij",
    "REFERRALS_ENCRYPTION_KEYS": "YmVuY2gtb25seS1yZWZlcnJhbHMta2V5LTAxMjM0NTY=",
    "REFERRALS_HMAC_KEY": "bench-only-referrals-hmac-key-0123456789",
    "MFA_REQUIRED_FOR_ROLES": "",
    "REFERRALS_REQUIRE_MFA": "false",
    "SECURE_COOKIES": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_URL": "consolemail://",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    # Login is rate limited per IP; every request of the bench comes from 127.0.0.1.
    "RATE_LIMIT_LOGIN": "1000/m/ip",
    # The cache keys of the bench never meet those of a portal on the same Redis database.
    "CACHE_KEY_PREFIX": "unnm-bench",
}
WORKERS = 2
# A page slower than this on its first request is measured by that request alone (a handful of
# wrk samples of a 20-second page would take minutes and say no more).
SLOW_PAGE_SECONDS = 20
# Slower than this: no run at eight connections (eight of them queue behind two workers).
NO_CONCURRENCY_SECONDS = 3

TARGETS = {
    "c1_p50_ms": 30,
    "c1_p95_ms": 100,
    "queries": 12,
    "ratio": 0.5,
    "mixed_rps": 100,
    "mixed_p95_ms": 250,
    "search_p95_ms": 100,
    "csv_peak_mb": 100,
}


def log(message):
    print(message, flush=True)


# --- Environment and database -------------------------------------------------------------------


def database_url(size):
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/unnm"
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("make bench measures PostgreSQL: set DATABASE_URL to a postgres:// server.")
    return urllib.parse.urlunsplit(parts._replace(path=f"/unnm_bench_{size}"))


def environment(size):
    env = dict(os.environ)
    env.update(SERVER_ENVIRONMENT)
    env["DATABASE_URL"] = database_url(size)
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env["DJANGO_SETTINGS_MODULE"] = "unnm.settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return env


def ensure_database(url):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            log(f"Creating the database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env, *arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def prepare(size, env):
    """The database migrated and seeded once, static files collected; the seeding time if seeded."""
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input", "-v", "0")
    from core.registry import scale_seeders

    # Static files first: the demo's report is rendered while seeding, with the production
    # (manifest) storage.
    manage(env, "collectstatic", "--no-input", "-v", "0")
    seeders = [seeder for seeder in scale_seeders.in_app_order() if seeder.already_seeded]
    seeded_in = None
    if any(seeder.already_seeded() for seeder in seeders):
        log(f"The {size} dataset is already in {env['DATABASE_URL']}: not seeding again.")
    else:
        log(f"Seeding the {size} dataset (once per database) ...")
        started = time.monotonic()
        manage(env, "seed_scale", "--size", size, "--force")
        seeded_in = time.monotonic() - started
    return seeded_in


def data_sizes():
    from django.contrib.auth import get_user_model

    from decisions.models import Decision, Position
    from meetings.models import AgendaItem, Meeting
    from members.models import Organisation
    from referrals.models import Referral
    from workplan.models import Deliverable

    return {
        "organisations": Organisation.objects.count(),
        "people": get_user_model().objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "positions": Position.objects.count(),
        "deliverables": Deliverable.objects.count(),
        "referrals": Referral.objects.count(),
    }


def machine(env):
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        memory_kb = 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    try:
        import redis

        redis_version = redis.Redis.from_url(env["REDIS_URL"]).info()["redis_version"]
    except Exception:  # reported as unknown
        redis_version = "unknown"
    import gunicorn

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk_version.split("[")[0].replace("wrk", "").strip() or "unknown"),
    }


# --- The server and the sessions ----------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env):
        self.env = env
        self.port = int(env.get("BENCH_PORT") or free_port())
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "unnm.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            "--timeout=600",
            "--log-level=warning",
        ]
        log(f"Starting gunicorn on {self.base} ({WORKERS} workers, DEBUG off)")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped while starting: see its output above.")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /healthz within a minute.")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base, email):
    """The Cookie header of a session opened through allauth's login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/accounts/login/", timeout=60) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"login": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise SystemExit(f"Signing in as {email} failed: HTTP {error.code}") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Signing in as {email} gave no session (wrong password or MFA?).")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def probe(base, path, cookie):
    """One request counted for its queries: (status, seconds, bytes, queries)."""
    from core.bench import QUERY_COUNT_HEADER

    opener = urllib.request.build_opener(_NoRedirect)
    headers = {QUERY_COUNT_HEADER: "1"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.monotonic()
    try:
        with opener.open(urllib.request.Request(base + path, headers=headers), timeout=900) as r:
            body = r.read()
            status, queries = r.status, r.headers.get(QUERY_COUNT_HEADER)
    except urllib.error.HTTPError as error:
        return error.code, time.monotonic() - started, 0, None
    return status, time.monotonic() - started, len(body), int(queries) if queries else None


# --- wrk ----------------------------------------------------------------------------------------

DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"max": %d, "errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_script(cookie):
    header = f'wrk.headers["Cookie"] = {_lua_string(cookie)}\n' if cookie else ""
    return header + DONE


def mixed_script(requests):
    """Cycles through (path, cookie) pairs, each thread from its own starting point."""
    rows = ",\n".join(
        f"  {{{_lua_string(path)}, {_lua_string(cookie or '')}}}" for path, cookie in requests
    )
    return (
        f"local pages = {{\n{rows}\n}}\n"
        "local prepared = {}\nlocal index = 0\n"
        "init = function(args)\n"
        "  for i, page in ipairs(pages) do\n"
        '    prepared[i] = wrk.format("GET", page[1], {["Cookie"] = page[2]})\n'
        "  end\n"
        "  index = math.random(#prepared)\n"
        "end\n"
        "request = function()\n"
        "  index = index % #prepared + 1\n"
        "  return prepared[index]\n"
        "end\n" + DONE
    )


def wrk(url, script, connections, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout=300s",
            "-s",
            handle.name,
            url,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line[len("BENCH ") :])
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0,
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "max_ms": raw["max"] / 1000,
        "errors": raw["errors"] + raw["non_2xx"],
    }


def single(seconds):
    """A measurement of one request (a page too slow for wrk)."""
    ms = seconds * 1000
    return {
        "requests": 1,
        "rps": 1 / seconds,
        "p50_ms": ms,
        "p95_ms": ms,
        "p99_ms": ms,
        "max_ms": ms,
        "errors": 0,
    }


def measure(server, name, path, cookie, duration):
    status, seconds, size, queries = probe(server.base, path, cookie)
    if status == 200 and seconds < NO_CONCURRENCY_SECONDS:
        # Counted again warm: the first request may fill caches (Redis) the next ones read.
        status, seconds, size, queries = probe(server.base, path, cookie)
    result = {
        "name": name,
        "path": path,
        "status": status,
        "bytes": size,
        "queries": queries,
        "first_ms": seconds * 1000,
        "note": "",
    }
    if status != 200:
        result["note"] = f"HTTP {status}"
        log(f"  {name}: HTTP {status} on {path}: not measured")
        return result
    script = page_script(cookie)
    if seconds > SLOW_PAGE_SECONDS:
        result["c1"] = single(seconds)
        result["note"] = f"one request only ({seconds:.0f} s)"
    else:
        result["c1"] = wrk(server.base + path, script, 1, max(duration, min(3 * seconds, 60)))
    # The first request is the cold one (templates compiled): the median at c=1 decides.
    typical = result["c1"]["p50_ms"] / 1000
    if typical > NO_CONCURRENCY_SECONDS:
        result["note"] = (result["note"] + "; " if result["note"] else "") + "no c=8 run (too slow)"
    else:
        # Long enough for a few rounds of eight requests on two workers.
        result["c8"] = wrk(server.base + path, script, 8, max(duration, min(8 * typical, 60)))
    c1, c8 = result["c1"], result.get("c8")
    log(
        f"  {name}: {queries} queries, c=1 {c1['rps']:.1f} req/s p50 {c1['p50_ms']:.0f} ms"
        f" p95 {c1['p95_ms']:.0f} ms"
        + (f"; c=8 {c8['rps']:.1f} req/s p95 {c8['p95_ms']:.0f} ms" if c8 else "")
    )
    return result


# --- In-process measurements (their own process, same database) ---------------------------------


def csv_memory(env):
    """Peak memory of streaming the whole decisions CSV, in a process of its own."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.run", "--csv-memory"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _client(email):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(email=email))
    return client


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_csv_memory():
    import django

    django.setup()
    from django.urls import reverse

    from bench.pages import RCO

    client = _client(RCO)
    before = _rss_mb()
    started = time.monotonic()
    response = client.get(reverse("decisions:export_csv"))
    rows = size = 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        rows += chunk.count(b"\n")
    print(
        json.dumps(
            {
                "status": response.status_code,
                "streaming": response.streaming,
                "rows": rows - 1,
                "mb": size / 1024 / 1024,
                "seconds": time.monotonic() - started,
                "rss_before_mb": before,
                "rss_peak_mb": _rss_mb(),
            }
        )
    )


def profile(env, name, path, account, size):
    """A pyinstrument profile of one page, in a process of its own; the path of the text file."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    target = RESULTS / f"profile-{size}-{slug}.txt"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.run", "--profile", path, "--account", account or ""],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        log(f"  No profile: {completed.stderr.strip().splitlines()[-1]}")
        return None
    target.write_text(f"# {name}: GET {path} as {account}\n\n" + completed.stdout)
    return target


def run_profile(path, account):
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is not installed: `pip install -e '.[dev]'` installs it.")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = _client(account) if account else Client(HTTP_HOST="127.0.0.1")

    def get():
        response = client.get(path)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    get()  # warm: templates compiled, caches filled, as on a running server
    profiler = Profiler(interval=0.0005)
    with CaptureQueriesContext(connection) as queries:
        profiler.start()
        response = get()
        profiler.stop()
    print(f"HTTP {response.status_code}, {len(queries)} queries\n")
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
    for query in slowest:
        print(f"-- {float(query['time']) * 1000:.1f} ms: {query['sql'][:600]}\n")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


# --- The report ---------------------------------------------------------------------------------


def _ms(value):
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _rps(value):
    return f"{value:,.0f}" if value >= 10 else f"{value:.2f}" if value < 1 else f"{value:.1f}"


def bare_rps(bares):
    """The bare view's throughput at c=8: the mean of its runs at the start and at the end."""
    return sum(bare["c8"]["rps"] for bare in bares) / len(bares)


def verdict(result, bare, search=False):
    """The targets a page misses at this size, or ✓."""
    c1, c8 = result.get("c1"), result.get("c8")
    missed = []
    if c1["p50_ms"] > TARGETS["c1_p50_ms"]:
        missed.append("p50")
    if c1["p95_ms"] > TARGETS["c1_p95_ms"]:
        missed.append("p95")
    if search and c1["p95_ms"] > TARGETS["search_p95_ms"]:
        missed.append("search p95")
    if result["queries"] is not None and result["queries"] > TARGETS["queries"]:
        missed.append("queries")
    if c8 is None or c8["rps"] < TARGETS["ratio"] * bare:
        missed.append("ratio")
    if (c8 and c8["errors"]) or c1["errors"]:
        missed.append("errors")
    return "✓" if not missed else "✗ " + ", ".join(missed)


def table(results, bares):
    bare = bare_rps(bares)
    lines = [
        "| page | c=1 req/s | p50 | p95 | p99 | c=8 req/s | p50 | p95 | p99 | queries | ÷ bare "
        "| targets |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for result in [*bares, *results]:
        name = result["name"]
        if "c1" not in result:
            lines.append(f"| {name} | {result['note']} |||||||||||")
            continue
        c1, c8 = result["c1"], result.get("c8")
        c8_cells = (
            f"{_rps(c8['rps'])} | {_ms(c8['p50_ms'])} | {_ms(c8['p95_ms'])} | {_ms(c8['p99_ms'])}"
            if c8
            else "– | – | – | –"
        )
        ratio = f"{c8['rps'] / bare:.2f}" if c8 else "–"
        mark = "" if result in bares else verdict(result, bare, search="search" in name.lower())
        note = f" ({result['note']})" if result["note"] else ""
        lines.append(
            f"| {name}{note} | {_rps(c1['rps'])} | {_ms(c1['p50_ms'])} | {_ms(c1['p95_ms'])} "
            f"| {_ms(c1['p99_ms'])} | {c8_cells} | {result['queries']} | {ratio} | {mark} |"
        )
    return "\n".join(lines)


def growth(data):
    """p95 at c=1 on stress over p95 on realistic, per page (the realistic run's saved figures)."""
    baseline_file = RESULTS / "results-realistic.json"
    if data["size"] != "stress" or not baseline_file.exists():
        return ""
    baseline = {
        result["name"]: result["c1"]["p95_ms"]
        for result in json.loads(baseline_file.read_text())["pages"]
        if "c1" in result
    }
    ratios = [
        (result["name"], result["c1"]["p95_ms"] / baseline[result["name"]])
        for result in data["pages"]
        if "c1" in result and baseline.get(result["name"])
    ]
    over = [name for name, ratio in ratios if ratio > 2]
    return (
        "p95 at c=1, stress ÷ realistic (target ≤ 2): "
        + "; ".join(f"{name} {ratio:.1f}" for name, ratio in ratios)
        + (f". Over 2: {', '.join(over)}." if over else ". Every page within 2.")
    )


def report(data):
    m, sizes = data["machine"], data["sizes"]
    mixed, csv = data["mixed"], data.get("csv_memory")
    lines = [
        f"Run {data['started']} – {data['finished']} (UTC), `make bench SIZE={data['size']}`, "
        f"{data['duration']} s per wrk run.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}. "
        f"Load average {data['load_before']} before, {data['load_after']} after.",
        f"- Versions: Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, "
        f"Redis {m['redis']}, gunicorn {m['gunicorn']} ({WORKERS} sync workers), wrk {m['wrk']}.",
        "- Data: " + ", ".join(f"{count:,} {name}" for name, count in sizes.items()) + ".",
    ]
    if data.get("seeded_in"):
        lines.append(f"- Seeding (`seed_scale --size {data['size']}`): {data['seeded_in']:.0f} s.")
    lines += [
        "",
        "Latencies in ms; c=1 and c=8 are wrk runs at one and eight connections; queries are "
        "those of one request (session and user included); ÷ bare is the page's throughput at "
        "c=8 over the bare view's (the mean of its runs at the start and the end). Targets column: "
        "what the page misses at this size "
        f"(p50 ≤ {TARGETS['c1_p50_ms']} ms and p95 ≤ {TARGETS['c1_p95_ms']} ms at c=1, "
        f"≤ {TARGETS['queries']} queries, ÷ bare ≥ {TARGETS['ratio']}, no errors).",
        "",
        table(data["pages"], data["bare"]),
        "",
    ]
    if growth(data):
        lines += [growth(data), ""]
    if mixed:
        meets = (
            mixed["rps"] >= TARGETS["mixed_rps"]
            and mixed["p95_ms"] <= TARGETS["mixed_p95_ms"]
            and not mixed["errors"]
        )
        lines.append(
            f"Mixed reads at c=8 (every browsed page in turn, each as its account; exports and "
            f"the feed left out): {_rps(mixed['rps'])} req/s, p50 {_ms(mixed['p50_ms'])} ms, "
            f"p95 {_ms(mixed['p95_ms'])} ms, p99 {_ms(mixed['p99_ms'])} ms, "
            f"{mixed['errors']} errors over {mixed['requests']:,} requests "
            f"({'meets' if meets else 'misses'} ≥ {TARGETS['mixed_rps']} req/s, "
            f"p95 ≤ {TARGETS['mixed_p95_ms']} ms, no errors)."
        )
        lines.append("")
    if csv:
        lines.append(
            f"Decisions CSV streamed in a process of its own: {csv['rows']:,} rows, "
            f"{csv['mb']:.1f} MB in {csv['seconds']:.1f} s; resident memory "
            f"{csv['rss_before_mb']:.0f} MB "
            f"before the request, peak {csv['rss_peak_mb']:.0f} MB "
            f"(+{csv['rss_peak_mb'] - csv['rss_before_mb']:.0f} MB)."
        )
        lines.append("")
    if data.get("profile"):
        lines.append(
            f"Slowest page at c=1: {data['profile']['page']}; its profile: "
            f"[{data['profile']['file']}]({data['profile']['file']})."
        )
        lines.append("")
    return "\n".join(lines)


def write_report(data, path=DOCS):
    """The run's section of `path` rewritten between its markers; the rest of the file kept."""
    start, end = (
        f"<!-- make bench {data['size']}: start -->",
        f"<!-- make bench {data['size']}: end -->",
    )
    block = f"{start}\n{report(data)}\n{end}"
    text = path.read_text()
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + f"\n\n### {data['size'].capitalize()}\n\n{block}\n"
    path.write_text(text)


# --- Main ---------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="realistic", choices=["tiny", "realistic", "stress"])
    parser.add_argument("--duration", type=float, default=5, help="seconds per wrk run")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the profile of the slowest page"
    )
    parser.add_argument("--csv-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    parser.add_argument("--account", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.csv_memory:
        return run_csv_memory()
    if args.profile:
        return run_profile(args.profile, args.account)

    if not shutil.which("wrk"):
        sys.exit(
            "make bench needs wrk (HTTP load generator): `sudo apt-get install wrk` on "
            "Debian/Ubuntu, `brew install wrk` on macOS."
        )
    # Stopped (Ctrl-C, kill): gunicorn is stopped with it (Server.__exit__).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("make bench: stopped."))
    env = environment(args.size)
    os.environ.update(env)
    started = datetime.now(UTC)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    import django

    django.setup()
    seeded_in = prepare(args.size, env)

    from bench.pages import ACCOUNTS, PAGES, Targets, bare_path, resolve_pages

    targets = Targets()
    sizes = data_sizes()
    pages = [page for page in PAGES if args.only.lower() in page.name.lower()]
    resolved = resolve_pages(targets, pages)
    results = []
    RESULTS.mkdir(exist_ok=True)
    with Server(env) as server:
        cookies = {account: sign_in(server.base, account) for account in ACCOUNTS}
        log("Bare view (one row by primary key)")
        bare = [
            measure(
                server, "Bare view, start", bare_path(targets), cookies[ACCOUNTS[0]], args.duration
            )
        ]
        log(f"{len(resolved)} pages")
        for page, path, note in resolved:
            if path is None:
                log(f"  {page.name}: skipped, {note}")
                results.append({"name": page.name, "path": None, "note": f"skipped: {note}"})
                continue
            cookie = cookies[page.account] if page.account else ""
            results.append(measure(server, page.name, path, cookie, args.duration))
        log("Bare view again")
        bare.append(
            measure(
                server, "Bare view, end", bare_path(targets), cookies[ACCOUNTS[0]], args.duration
            )
        )
        browsed = [
            (result["path"], cookies[page.account] if page.account else "")
            for (page, _path, _note), result in zip(resolved, results, strict=True)
            if page.browse and "c8" in result
        ]
        mixed = None
        if browsed:
            log(f"Mixed reads over {len(browsed)} pages at c=8")
            mixed = wrk(server.base + "/", mixed_script(browsed), 8, max(args.duration * 3, 15))
            log(f"  {mixed['rps']:.1f} req/s, p95 {mixed['p95_ms']:.0f} ms, {mixed['errors']} err.")
    csv = None
    if not args.only or "csv" in args.only.lower():
        log("Decisions CSV: peak memory of streaming it")
        csv = csv_memory(env)
        log(f"  {csv['rows']:,} rows, peak RSS {csv['rss_peak_mb']:.0f} MB")
    measured = [result for result in results if "c1" in result]
    data = {
        "size": args.size,
        "duration": args.duration,
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "load_before": load_before,
        "machine": machine(env),
        "sizes": sizes,
        "seeded_in": seeded_in,
        "bare": bare,
        "pages": results,
        "mixed": mixed,
        "csv_memory": csv,
    }
    if measured and not args.no_profile:
        slowest = max(measured, key=lambda result: result["c1"]["p50_ms"])
        page = next(page for page, path, _ in resolved if path == slowest["path"])
        log(f"Profiling the slowest page: {slowest['name']}")
        target = profile(env, slowest["name"], slowest["path"], page.account, args.size)
        if target:
            data["profile"] = {
                "page": slowest["name"],
                "file": str(target.relative_to(DOCS.parent)),
            }
    data["finished"] = datetime.now(UTC).strftime("%H:%M")
    data["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(report(data))
    if not args.no_write and not args.only:
        RESULTS.mkdir(exist_ok=True)
        text = json.dumps(data, indent=1) + "\n"
        if "feed_token" in vars(targets):  # a secret, even of a bench account: not committed
            text = text.replace(targets.feed_token, "<token>")
        (RESULTS / f"results-{args.size}.json").write_text(text)
        write_report(data)
        log(f"Written to {DOCS.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}/")
    return None


if __name__ == "__main__":
    main()

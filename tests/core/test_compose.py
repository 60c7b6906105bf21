"""The production stack (docker-compose.yml, Dockerfile, .env.example), checked without Docker.

These machines have no Docker engine, so the compose file is parsed and its promises checked: the
five services with health checks, one image and one environment for web/worker/beat, a single
beat, named volumes, and a configuration file that matches what the settings read. The health
check commands themselves are run against a real server and a real Redis.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")

# `env.<type>("NAME"` in the settings, the call possibly split over lines.
SETTINGS_ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")
OS_ENV_READ = re.compile(r"os\.environ(?:\.get\(|\[)\s*\"([A-Z][A-Z0-9_]*)\"")
COMPOSE_INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
# `NAME=value`, or `# NAME=value` for an optional variable shown with its default.
ENV_EXAMPLE_LINE = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# Read by a program the stack runs rather than by the portal's code.
READ_BY_OTHER_PROGRAMS = {"WEB_CONCURRENCY": "gunicorn"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables():
    return set(SETTINGS_ENV_READ.findall((ROOT / "unnm" / "settings.py").read_text()))


def example_variables():
    return ENV_EXAMPLE_LINE.findall((ROOT / ".env.example").read_text())


def command_text(service):
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_stack_has_exactly_the_five_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["postgres", "redis", "web", "worker", "beat"])
def test_every_service_has_a_health_check(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")

    assert healthcheck, f"{name} has no health check"
    assert not healthcheck.get("disable", False)
    test = healthcheck["test"]
    assert isinstance(test, list)
    assert test[0] in ("CMD", "CMD-SHELL")
    assert len(test) > 1
    for key in ("interval", "timeout", "retries"):
        assert key in healthcheck, f"{name}'s health check has no {key}"


def test_the_data_stores_health_checks_ask_the_servers_themselves(compose):
    assert "pg_isready" in " ".join(compose["services"]["postgres"]["healthcheck"]["test"])
    assert "redis-cli" in compose["services"]["redis"]["healthcheck"]["test"]
    assert "ping" in compose["services"]["redis"]["healthcheck"]["test"]
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(compose["services"]["worker"]["healthcheck"]["test"])


def test_web_worker_and_beat_share_one_image_and_one_environment(compose):
    services = compose["services"]
    shared_keys = ("image", "build", "env_file", "environment", "volumes")
    reference = {key: services["web"].get(key) for key in shared_keys}

    assert reference["image"]
    assert reference["build"]
    assert reference["env_file"] in (".env", [".env"])
    assert {"DATABASE_URL", "REDIS_URL"} <= set(reference["environment"])
    for name in APP_SERVICES:
        assert {key: services[name].get(key) for key in shared_keys} == reference, name
    # The data stores run their own images.
    assert services["postgres"]["image"] != reference["image"]
    assert services["redis"]["image"] != reference["image"]


def test_the_application_reaches_the_stack_s_own_postgres_and_redis(compose):
    environment = compose["services"]["web"]["environment"]

    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_each_service_runs_what_it_should(compose):
    services = compose["services"]
    web = command_text(services["web"])
    worker = command_text(services["worker"])
    beat = command_text(services["beat"])

    # Migrations run when web starts, before gunicorn serves the WSGI application.
    assert "manage.py migrate" in web
    assert web.index("manage.py migrate") < web.index("gunicorn unnm.wsgi")
    assert "exec gunicorn" in web
    assert re.search(r"celery -A unnm worker\b", worker)
    assert re.search(r"celery -A unnm beat\b", beat)
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_there_is_exactly_one_beat(compose):
    beat = compose["services"]["beat"]

    assert beat["deploy"]["replicas"] == 1
    assert "scale" not in beat or beat["scale"] == 1
    # No other service runs a scheduler (`celery worker -B` would be a second beat).
    for name in ("web", "worker"):
        text = command_text(compose["services"][name])
        assert " beat" not in text
        assert " -B" not in text
        assert "--beat" not in text


def test_the_application_services_wait_for_healthy_data_stores(compose):
    for name in APP_SERVICES:
        depends_on = compose["services"][name]["depends_on"]
        for store in ("postgres", "redis"):
            assert depends_on[store]["condition"] == "service_healthy", name
    # The worker and beat start once web has migrated the database.
    for name in ("worker", "beat"):
        assert compose["services"][name]["depends_on"]["web"]["condition"] == "service_healthy"


def test_data_lives_in_named_volumes(compose):
    declared = set(compose["volumes"])
    mounts = {}
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            assert not source.startswith((".", "/", "~")), f"{name} mounts a host path: {volume}"
            assert source in declared, f"{name} mounts an undeclared volume {source}"
            mounts[(name, target)] = source

    assert mounts[("postgres", "/var/lib/postgresql/data")] == "postgres-data"
    assert mounts[("redis", "/data")] == "redis-data"
    for name in APP_SERVICES:
        assert mounts[(name, "/app/media")] == "media"
        # Stored files: private, in their own volume, never under MEDIA_ROOT.
        assert mounts[(name, "/app/private-media")] == "private-media"


def test_only_web_publishes_a_port_and_on_loopback(compose):
    for name, service in compose["services"].items():
        ports = service.get("ports", [])
        if name == "web":
            assert len(ports) == 1
            assert ports[0].startswith("127.0.0.1:")
            assert ports[0].endswith(":8000")
        else:
            assert not ports, f"{name} publishes {ports}"


def test_env_example_documents_every_variable_the_settings_read():
    documented = set(example_variables())

    missing = settings_variables() - documented
    assert not missing, f".env.example does not document {sorted(missing)}"


def test_every_variable_of_env_example_is_read_by_something(compose):
    readers = settings_variables()
    readers |= set(COMPOSE_INTERPOLATION.findall((ROOT / "docker-compose.yml").read_text()))
    for path in ROOT.glob("*/management/commands/*.py"):
        readers |= set(OS_ENV_READ.findall(path.read_text()))
    readers |= set(READ_BY_OTHER_PROGRAMS)

    names = example_variables()
    assert len(names) == len(set(names)), "a variable appears twice in .env.example"
    unread = set(names) - readers
    assert not unread, f".env.example documents variables nothing reads: {sorted(unread)}"


def test_env_example_holds_no_real_secret():
    values = dict(
        re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )

    assert values["SECRET_KEY"].startswith("change-me")
    assert values["POSTGRES_PASSWORD"].startswith("change-me")
    assert "change-me" in values["EMAIL_URL"]
    # DEBUG stays off in production: it is not switched on by the example.
    assert values.get("DEBUG", "false").lower() in ("false", "0", "off", "no")


def test_readme_configuration_table_lists_every_variable():
    readme = (ROOT / "README.md").read_text()
    table_rows = set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`", readme, re.MULTILINE))

    missing = (settings_variables() | {"DEMO_PASSWORD"}) - table_rows
    assert not missing, f"README's configuration table misses {sorted(missing)}"


def test_dockerfile_builds_one_non_root_image_for_all_processes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)

    assert stages[-1].startswith("python:3.11-slim")
    assert "npm ci" in dockerfile
    assert "pip install ." in dockerfile
    assert "collectstatic --no-input" in dockerfile
    assert "libpango-1.0-0" in dockerfile  # WeasyPrint's PDF reports
    assert users, "the image runs as root"
    assert users[-1] not in ("root", "0")
    assert '"gunicorn", "unnm.wsgi"' in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()

    for entry in (".env", ".venv", "node_modules", ".git", "db.sqlite3", "media"):
        assert entry in ignored


def healthcheck_script(compose, service):
    test = compose["services"][service]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    return test[3]


def run_python(script, **env):
    return subprocess.run(  # noqa: S603 - our own health check, run with this interpreter
        [sys.executable, "-c", script],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_web_health_check_passes_on_a_healthy_portal_and_fails_otherwise(compose, live_server):
    script = healthcheck_script(compose, "web")
    assert "http://127.0.0.1:8000/healthz" in script
    port = live_server.url.rsplit(":", 1)[1]

    healthy = run_python(script.replace(":8000/", f":{port}/"), ALLOWED_HOSTS="localhost,x")
    assert healthy.returncode == 0, healthy.stderr
    # Nothing listens on port 1: the check must fail, as it does when gunicorn is down.
    down = run_python(script.replace(":8000/", ":1/"), ALLOWED_HOSTS="localhost")
    assert down.returncode != 0


def test_beat_health_check_needs_a_live_beat_and_a_live_broker(compose, tmp_path):
    script = healthcheck_script(compose, "beat")
    assert "/tmp/celerybeat.pid" in script  # noqa: S108 - the path inside the container
    assert "--pidfile=/tmp/celerybeat.pid" in compose["services"]["beat"]["command"]
    pidfile = tmp_path / "celerybeat.pid"
    script = script.replace("/tmp/celerybeat.pid", str(pidfile))  # noqa: S108

    pidfile.write_text(str(os.getpid()))
    alive = run_python(script, REDIS_URL=settings.REDIS_URL)
    assert alive.returncode == 0, alive.stderr

    dead = run_python(script, REDIS_URL="redis://127.0.0.1:1/0")
    assert dead.returncode != 0

    pidfile.write_text("999999999")
    no_beat = run_python(script, REDIS_URL=settings.REDIS_URL)
    assert no_beat.returncode != 0


def interpolate(value, variables):
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` substitutions."""

    def substitute(match):
        name, operator, argument = match[1], match[2], match[3]
        if variables.get(name):
            return variables[name]
        assert operator != ":?", f"compose would refuse to start: {argument}"
        return argument if operator == ":-" else ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", substitute, value)


def test_the_example_configuration_passes_the_deployment_checks(compose):
    """What a container of the stack gets (.env from the example, the compose environment), with
    the placeholders an operator must fill in filled, passes `check --deploy`."""
    dotenv = dict(
        re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    dotenv["SECRET_KEY"] = "filled-in-by-the-operator-" + "x7Kq2mPz9" * 6
    dotenv["REFERRALS_ENCRYPTION_KEYS"] = "ZmlsbGVkLWluLWJ5LXRoZS1vcGVyYXRvci0wMTIzNDU="
    dotenv["REFERRALS_HMAC_KEY"] = "filled-in-by-the-operator-hmac-key"
    environment = {
        name: interpolate(value, dotenv)
        for name, value in compose["services"]["web"]["environment"].items()
    }
    container = {**dotenv, **environment}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "LANG": "C.UTF-8", **container},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert container["DATABASE_URL"].startswith("postgres://unnm:change-me")
    assert "DEBUG" not in container  # off, by default


FIRST_PARTY = {"unnm", "core", "accounts", "members", "meetings", "decisions", "workplan"}
FIRST_PARTY |= {"referrals", "reports", "tests", "manage"}


def imported_top_level_modules(paths):
    import ast

    modules = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def distributions_installed_by(requirements):
    """The distributions `pip install` brings for these requirement strings, dependencies and the
    extras asked for included."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in found:
            continue
        found.add(key)
        try:
            children = requires(requirement.name) or []
        except PackageNotFoundError:
            continue
        for text in children:
            child = Requirement(text)
            wanted = child.marker is None or any(
                child.marker.evaluate({"extra": extra}) for extra in requirement.extras or {""}
            )
            if wanted:
                pending.append(child)
    return {name for name, _extras in found}


def test_the_image_s_dependencies_cover_every_import_of_the_portal_s_code():
    """`pip install .` (the Dockerfile; no dev extras) installs every package the code imports:
    a module imported by the portal but only installed by hand breaks the image and `make run`."""
    import tomllib
    from importlib.metadata import packages_distributions

    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = distributions_installed_by(project["dependencies"])
    code = [
        path
        for path in ROOT.glob("*/**/*.py")
        # scripts/ and bench/: developer tools (make screenshots, make bench), run with the dev
        # extras like the tests.
        if path.parts[len(ROOT.parts)]
        not in {"tests", "scripts", "bench", ".venv", "node_modules", "build"}
        and not path.parts[len(ROOT.parts)].startswith(".")
    ]
    third_party = imported_top_level_modules(code) - set(sys.stdlib_module_names) - FIRST_PARTY
    providers = packages_distributions()

    missing = {}
    for module in sorted(third_party):
        distributions = {canonicalize_name(name) for name in providers.get(module, [])}
        if not distributions & installed:
            missing[module] = sorted(distributions) or ["not installed at all"]
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"

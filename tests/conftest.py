import pytest
from celery._state import _set_task_join_will_block
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so allauth's rate-limit counters do not leak.

    Under pytest-xdist this empties only this worker's namespace: the suite's cache backend
    (unnm.test_cache.NamespacedRedisCache) deletes the keys under its KEY_PREFIX, one per worker
    (unnm/settings_test.py), instead of flushing the Redis database the workers share.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language.

    LocaleMiddleware activates the language of each request in the thread and leaves it active:
    after a request by an Arabic reader, text a later test builds outside a request (an agenda
    item, a minutes section) would come out in Arabic.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _outside_a_celery_worker():
    """Each test starts outside a Celery worker, whatever ran before it in this process.

    Celery keeps a process-wide flag, "this process is a worker", that makes `result.get()` raise
    "Never call result.get() within a task!" (eager `.apply().get()` included). A worker's pool
    sets it; the in-process worker of tests/core/test_celery.py (celery.contrib.testing) clears
    it once started. Yet in a loaded parallel run (`make test` on a busy machine) it was found
    switched on during tests/decisions/test_concurrency.py's threaded races, and the eager-task
    tests that ran later on the same xdist worker failed; the cause was not pinned down.
    """
    # celery.contrib.testing.worker resets it with this same function.
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


# The demo accounts of the README, by the key the permission matrix and browser tests use.
DEMO_USERS = {
    "admin": "admin@example.org",
    "rco": "rco@example.org",
    "iom_focal": "iom.focal@example.org",
    "ilo_focal": "ilo.focal@example.org",
    "unhcr_focal": "unhcr.focal@example.org",
    "unicef_focal": "unicef.focal@example.org",
    "who_alternate": "who.alternate@example.org",
    "undp_staff": "undp.staff@example.org",
    "iom_referrals": "iom.referrals@example.org",
    "unhcr_referrals": "unhcr.referrals@example.org",
    "guest": "guest@example.org",
}


@pytest.fixture
def demo_world(db):
    """The members part of the demo (organisations, memberships, the demo accounts), as seeded.

    Returns the DemoContext: `world.person("rco@example.org")`, `world.organisation("IOM")`, and
    `world.users[key]` with the keys of DEMO_USERS.
    """
    from core.seeding import DemoContext
    from members import demo

    context = DemoContext()
    demo.seed(context)
    context.users = {key: context.people[email] for key, email in DEMO_USERS.items()}
    return context

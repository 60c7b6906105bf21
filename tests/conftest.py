import pytest


def _clear_this_worker_s_cache():
    # cache.clear() is FLUSHDB on Redis: it would wipe the counters of a test running at the same
    # time in the other xdist worker. Only this worker's keys (its own prefix) are deleted.
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    prefix = backend.key_prefix
    client = backend._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so allauth's rate-limit counters do not leak."""
    _clear_this_worker_s_cache()
    yield
    _clear_this_worker_s_cache()


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

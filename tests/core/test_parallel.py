"""The suite runs in parallel (`make test`: pytest-xdist): each worker stays in its own Redis keys.

unnm/settings_test.py gives every xdist worker a namespace of its own; the cache's clear() deletes
only that namespace (unnm/test_cache.py), and the Celery broker prefixes its keys with it.
"""

import importlib
import os
import sys
from uuid import uuid4

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from unnm.celery import app


def raw_redis():
    return redis.Redis.from_url(settings.REDIS_URL)


def test_clearing_the_cache_leaves_other_workers_keys_alone():
    other_worker = f"unnm-test-{uuid4().hex}:1:allauth-rate-limit"
    not_a_cache_key = f"elsewhere-{uuid4().hex}"
    client = raw_redis()
    client.set(other_worker, "3", ex=60)
    client.set(not_a_cache_key, "kept", ex=60)
    cache.set("mine", "gone after clear", 60)
    try:
        cache.clear()

        assert cache.get("mine") is None
        assert client.get(other_worker) == b"3"
        assert client.get(not_a_cache_key) == b"kept"
    finally:
        client.delete(other_worker, not_a_cache_key)


def test_the_cache_and_the_broker_use_this_workers_namespace():
    namespace = settings.REDIS_NAMESPACE
    worker = os.environ.get("PYTEST_XDIST_WORKER") or "main"

    assert namespace.endswith(f"-{worker}")
    assert settings.CACHES["default"]["KEY_PREFIX"] == namespace
    assert cache.make_key("x").startswith(f"{namespace}:")
    assert app.conf.broker_transport_options["global_keyprefix"] == f"{namespace}-broker:"


def load_test_settings(monkeypatch, worker, redis_url="redis://127.0.0.1:6379/5"):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delitem(sys.modules, "unnm.settings", raising=False)
    monkeypatch.delitem(sys.modules, "unnm.settings_test", raising=False)
    return importlib.import_module("unnm.settings_test")


def test_two_workers_and_two_redis_databases_get_four_namespaces(monkeypatch):
    loaded = [
        load_test_settings(monkeypatch, worker, url)
        for worker in ("gw0", "gw1")
        for url in ("redis://127.0.0.1:6379/5", "redis://127.0.0.1:6379/6")
    ]
    cache_prefixes = {module.CACHES["default"]["KEY_PREFIX"] for module in loaded}
    broker_prefixes = {
        module.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] for module in loaded
    }

    assert len(cache_prefixes) == 4
    assert len(broker_prefixes) == 4
    # A cache clear ("<namespace>:*") never reaches the broker's keys ("<namespace>-broker:…").
    assert all(not b.startswith(f"{c}:") for b in broker_prefixes for c in cache_prefixes)
    assert {module.CACHES["default"]["BACKEND"] for module in loaded} == {
        "unnm.test_cache.NamespacedRedisCache"
    }


def test_a_message_for_the_broker_lands_under_this_workers_namespace():
    queue = f"parallel-{uuid4().hex}"
    prefixed = f"{settings.REDIS_NAMESPACE}-broker:{queue}"
    client = raw_redis()
    try:
        with app.connection_for_write() as connection:
            simple = connection.SimpleQueue(queue)
            simple.put({"probe": True})
            simple.close()

        assert client.llen(prefixed) == 1
        assert not client.exists(queue)
    finally:
        # The queue, and the exchange kombu declared for it; nothing else of the namespace.
        for kind in ("binding", "binding_permanent"):
            client.delete(f"{settings.REDIS_NAMESPACE}-broker:_kombu.{kind}.{queue}")
        client.delete(prefixed)


def test_a_cache_without_a_prefix_refuses_to_clear():
    from unnm.test_cache import NamespacedRedisCache

    unprefixed = NamespacedRedisCache(settings.REDIS_URL, {"KEY_PREFIX": ""})
    with pytest.raises(RuntimeError, match="KEY_PREFIX"):
        unprefixed.clear()

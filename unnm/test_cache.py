"""The test suite's cache backend (unnm/settings_test.py): Redis, with a clear() that stays in its
own key prefix.

Django's RedisCache.clear() is FLUSHDB, which wipes every key of the Redis database: under
pytest-xdist that includes the other workers' keys (allauth's sign-in rate-limit counters among
them). The workers share one Redis database and differ by KEY_PREFIX, so clearing means deleting
the keys under this prefix. Django has no delete-by-pattern for Redis and django-redis (which has)
would replace the production backend for the sake of one test helper, so this is a SCAN and DEL.
"""

from django.core.cache.backends.redis import RedisCache

GLOB_SPECIAL = str.maketrans({char: f"\\{char}" for char in "\\*?[]"})


class NamespacedRedisCache(RedisCache):
    def clear(self):
        if not self.key_prefix:
            # No namespace to stay in: refuse rather than flush every key of the database.
            raise RuntimeError("NamespacedRedisCache needs a KEY_PREFIX")
        client = self._cache.get_client(write=True)
        # make_key() builds "<KEY_PREFIX>:<version>:<key>".
        pattern = f"{self.key_prefix.translate(GLOB_SPECIAL)}:*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True

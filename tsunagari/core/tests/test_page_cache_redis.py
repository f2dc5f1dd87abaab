"""The page cache on real Redis (production's shared cache): a page stored once is
served from Redis and a change shows at once. Skipped when no Redis answers."""

from __future__ import annotations

import unittest
import uuid

import redis
from django.test import override_settings

from tsunagari.directory import search
from tsunagari.factory import make_resource
from tsunagari.lib import pagecache
from tsunagari.lib.tests.test_ratelimit_redis import at_once, redis_answers
from tsunagari.test import BaseTestCase

REDIS_URL = "redis://127.0.0.1:6379/7"


@unittest.skipUnless(redis_answers(), "no Redis at 127.0.0.1:6379")
class RedisPageCacheTests(BaseTestCase):
    def setUp(self) -> None:
        # A prefix of its own: nothing else in that Redis is read or removed.
        prefix = f"test-pagecache-{uuid.uuid4().hex}"
        caches = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": REDIS_URL,
                    "KEY_PREFIX": prefix,
                }
            }
        )
        caches.enable()
        self.addCleanup(caches.disable)

        def forget() -> None:
            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)

        self.addCleanup(forget)

    def test_a_resource_page_comes_from_redis_until_the_resource_changes(self) -> None:
        resource = make_resource("サンプル ひだまり食堂", organization=self.organization)
        search.reindex(resource)
        url = f"/resources/{resource.pk}/"
        self.assertEqual(getattr(self.client.get(url), "pagecache", ""), "miss")
        with self.assertNumQueries(0):
            self.assertEqual(getattr(self.client.get(url), "pagecache", ""), "hit")
        resource.name = "サンプル たんぽぽ食堂"
        resource.save()
        self.assertContains(self.client.get(url), "たんぽぽ食堂")

    def test_parallel_bumps_each_count(self) -> None:
        (start,) = pagecache.versions(["parallel"])
        at_once(20, lambda _: pagecache._bump_now(("parallel",)))
        self.assertEqual(pagecache.versions(["parallel"]), [start + 20])

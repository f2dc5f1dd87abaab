"""The versions behind the page cache: a bump is seen at once and again at commit."""

from __future__ import annotations

from django.test import TestCase, override_settings

from tsunagari.lib import pagecache


class VersionTests(TestCase):
    def test_a_bump_changes_the_version_at_once_and_again_at_commit(self) -> None:
        (start,) = pagecache.versions(["testfamily"])
        with self.captureOnCommitCallbacks(execute=True):
            pagecache.bump("testfamily")
            self.assertEqual(pagecache.versions(["testfamily"]), [start + 1])
        self.assertEqual(pagecache.versions(["testfamily"]), [start + 2])

    def test_families_are_counted_apart(self) -> None:
        before = pagecache.versions(["one", "two"])
        pagecache.bump("one")
        after = pagecache.versions(["one", "two"])
        self.assertEqual(after, [before[0] + 1, before[1]])

    def test_remember_computes_again_after_a_bump(self) -> None:
        calls: list[int] = []

        def compute() -> int:
            calls.append(1)
            return len(calls)

        self.assertEqual(pagecache.remember("t", ["fam"], ["a"], compute), 1)
        self.assertEqual(pagecache.remember("t", ["fam"], ["a"], compute), 1)
        self.assertEqual(pagecache.remember("t", ["fam"], ["b"], compute), 2)
        pagecache.bump("fam")
        self.assertEqual(pagecache.remember("t", ["fam"], ["a"], compute), 3)

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_remember_keeps_nothing_when_the_cache_is_off(self) -> None:
        calls: list[int] = []
        for _ in range(2):
            pagecache.remember("t", ["fam"], [], lambda: calls.append(1))
        self.assertEqual(len(calls), 2)


class LocalPagesTests(TestCase):
    """Each process keeps its last pages in front of the shared cache, within bounds."""

    def entry(self, size: int) -> tuple[str, list[tuple[str, str]], bytes]:
        return (pagecache.FORMAT, [], b"x" * size)

    def test_the_oldest_pages_go_when_the_memory_is_full(self) -> None:
        local = pagecache._LocalPages(max_bytes=8000)
        for key in "abcde":
            local.put(key, self.entry(1000))
        self.assertIsNotNone(local.get("a"))  # used again: kept
        for key in "fghij":
            local.put(key, self.entry(1000))
        self.assertLessEqual(local.size, 8000)
        self.assertIsNotNone(local.get("a"))
        self.assertIsNone(local.get("b"))
        self.assertIsNotNone(local.get("j"))

    def test_a_page_is_not_kept_longer_than_the_setting(self) -> None:
        local = pagecache._LocalPages()
        local.put("page", self.entry(10))
        self.assertIsNotNone(local.get("page"))
        local.stored["page"] -= 601
        with override_settings(PAGE_CACHE_SECONDS=600):
            self.assertIsNone(local.get("page"))
        self.assertEqual(local.size, 0)

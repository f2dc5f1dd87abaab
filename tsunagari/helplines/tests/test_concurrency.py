"""The secretariat's changes to a national helpline under concurrency (PostgreSQL, real
threads): each is a conditional update (`UPDATE … WHERE` the state as read), so of many
simultaneous presses one changes the line and is recorded."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.helplines.tests.factory import make_line
from tsunagari.race import Outcome, Post, RaceTestCase, at_once, make_people, messages_of

NOT_CHANGED = "ほかの操作で状態が変わっていたため、変更しませんでした"


class HelplineRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.officers = make_people(8, "jimukyoku", User.Role.SECRETARIAT)
        self.line = make_line()
        self.url = f"/secretariat/helplines/{self.line.pk}"

    def recorded(self) -> int:
        return AuditEvent.objects.filter(object_id=str(self.line.pk)).count()

    def assert_once(self, outcomes: list[Outcome]) -> None:
        self.assertEqual([o.status for o in outcomes], [302] * len(outcomes))
        self.assertEqual(self.recorded(), 1)
        said = messages_of(outcomes)
        self.assertEqual(sum(NOT_CHANGED in m for m in said), len(outcomes) - 1)

    def assert_each_recorded(self, outcomes: list[Outcome], done: str) -> None:
        """Edits made from what each person read: one who read the line after another's
        change may save theirs too, but every saved change is recorded and reported, and
        every other person is told nothing was changed."""
        self.assertEqual([o.status for o in outcomes], [302] * len(outcomes))
        said = messages_of(outcomes)
        saved = sum(done in m for m in said)
        self.assertGreaterEqual(saved, 1)
        self.assertEqual(self.recorded(), saved)
        self.assertEqual(saved + sum(NOT_CHANGED in m for m in said), len(outcomes))

    def test_reverifying_at_once_records_each_saved_check(self) -> None:
        data = {"verify-source_url": "https://example.jp/new", "verify-source_seen": "2026-11-01"}
        outcomes = at_once([Post(u, f"{self.url}/verify/", data) for u in self.officers])
        self.assert_each_recorded(outcomes, "を確認済みにしました")

    def test_retiring_at_once_retires_once(self) -> None:
        data = {"retire-reason": "番号が変わった"}
        self.assert_once(at_once([Post(u, f"{self.url}/retire/", data) for u in self.officers]))

    def test_restoring_at_once_restores_once(self) -> None:
        type(self.line).objects.filter(pk=self.line.pk).update(status="retired")
        self.assert_once(at_once([Post(u, f"{self.url}/restore/") for u in self.officers]))

    def test_setting_the_period_at_once_records_each_saved_one(self) -> None:
        type(self.line).objects.filter(pk=self.line.pk).update(period_only=True)
        posts = [
            Post(
                u,
                f"{self.url}/period/",
                {"period-starts_on": f"2026-12-{n + 1:02d}", "period-ends_on": "2026-12-31"},
            )
            for n, u in enumerate(self.officers)
        ]
        self.assert_each_recorded(at_once(posts), "の実施期間を保存しました")

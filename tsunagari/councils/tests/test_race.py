"""Two officers saving the same local council at the same moment (PostgreSQL, real
threads), both from the version they opened: one edit is saved and audited, the other is
refused as made over a change (409, what they typed kept). Nothing is overwritten unseen."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.core.forms import version_of
from tsunagari.councils.tests.test_councils import form_data, make_council
from tsunagari.geo.models import Municipality
from tsunagari.race import Post, RaceTestCase, at_once, make_people


class CouncilEditRaceTest(RaceTestCase):
    def test_two_edits_from_one_version_save_one(self) -> None:
        fujisawa = Municipality.objects.get(pk="142051")
        officers = make_people(2, "fujisawa-council", User.Role.MUNICIPALITY, municipality=fujisawa)
        council = make_council()
        body = council.member_bodies.get()
        members = {
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": str(body.pk),
            "members-0-name": body.name,
        }
        names = ["【テスト】Aの名前", "【テスト】Bの名前"]
        posts = [
            Post(
                officer,
                f"/councils/{council.pk}/edit/",
                form_data(name=name, seen=version_of(council), **members),
            )
            for officer, name in zip(officers, names, strict=True)
        ]
        outcomes = at_once(posts)
        self.assertEqual(sorted(o.status for o in outcomes), [302, 409])
        winner = next(n for n, o in enumerate(outcomes) if o.status == 302)
        council.refresh_from_db()
        self.assertEqual(council.name, names[winner])
        [event] = AuditEvent.objects.for_object(council).filter(action="update")
        self.assertEqual(event.changes["name"][1], names[winner])
        loser = outcomes[1 - winner].response.content.decode()
        self.assertIn("ほかの人が変更を保存しました", loser)
        self.assertIn(names[1 - winner], loser)

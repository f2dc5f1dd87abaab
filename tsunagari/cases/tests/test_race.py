"""Model cases under concurrency (PostgreSQL, real threads): publish and return pressed at
the same moment leave exactly one result; many clicks on 「下書きを作る」 for the same
collaboration or action item make one draft; two co-authors saving the same draft from
the version they opened: one is saved, the other told (409)."""

from __future__ import annotations

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import ModelCase
from tsunagari.cases.tests.factory_cases import case_data, make_case
from tsunagari.collaborations.tests.test_services import make_collaboration
from tsunagari.core.forms import version_of
from tsunagari.meetings.tests.factory import make_action, make_closed
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of

Status = ModelCase.Status


class CaseRaceTest(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        self.city = Organization.objects.get(roster_no=32)
        self.secretariat = make_people(10, "jimukyoku", User.Role.SECRETARIAT)
        self.staff = make_people(10, "staff", User.Role.MEMBER, organization=self.organization)

    def test_publish_and_return_at_once_do_exactly_one(self) -> None:
        for _round in range(3):
            case = make_case(status=Status.REVIEW, organization=self.organization)
            posts = []
            for n, person in enumerate(self.secretariat):
                if n % 2:
                    posts.append(Post(person, f"/secretariat/cases/{case.pk}/publish/"))
                else:
                    posts.append(
                        Post(person, f"/secretariat/cases/{case.pk}/return/", {"reason": "理由"})
                    )
            outcomes = at_once(posts)
            self.assertEqual({o.status for o in outcomes}, {302})
            case.refresh_from_db()
            self.assertIn(case.status, (Status.PUBLISHED, Status.DRAFT))
            events = AuditEvent.objects.filter(action="status", object_id=str(case.pk))
            self.assertEqual(events.count(), 1)
            said = messages_of(outcomes)
            self.assertEqual(sum("すでに公開されたか差し戻されています" in m for m in said), 9)

    def test_many_clicks_make_one_draft_from_a_collaboration(self) -> None:
        collaboration = make_collaboration(self.organization, self.city, "completed")
        url = f"/cases/new/from-collaboration/{collaboration.pk}/"
        outcomes = at_once([Post(person, url) for person in self.staff])
        self.assertEqual({o.status for o in outcomes}, {302})
        self.assertEqual(ModelCase.objects.filter(collaboration=collaboration).count(), 1)
        self.assertEqual(sum("下書きを作りました" in m for m in messages_of(outcomes)), 1)

    def test_many_clicks_make_one_draft_from_an_action_item(self) -> None:
        item = make_action(make_closed(attending=[self.organization]), self.organization)
        url = f"/cases/new/from-action/{item.pk}/"
        outcomes = at_once([Post(person, url) for person in [*self.staff, *self.secretariat]])
        self.assertEqual({o.status for o in outcomes}, {302})
        self.assertEqual(ModelCase.objects.filter(action_item=item).count(), 1)

    def test_two_co_authors_saving_one_draft_save_one(self) -> None:
        case = make_case(status=Status.DRAFT, organization=self.organization)
        titles = ["【テスト】Aの題", "【テスト】Bの題"]
        rows = {"partners-TOTAL_FORMS": "0", "steps-TOTAL_FORMS": "0"}
        posts = [
            Post(
                person,
                f"/cases/{case.pk}/edit/",
                case_data(title=title, seen=version_of(case), **rows),
            )
            for person, title in zip(self.staff[:2], titles, strict=True)
        ]
        outcomes = at_once(posts)
        self.assertEqual(sorted(o.status for o in outcomes), [302, 409])
        winner = next(n for n, o in enumerate(outcomes) if o.status == 302)
        case.refresh_from_db()
        self.assertEqual(case.title, titles[winner])
        [event] = AuditEvent.objects.filter(action="update", object_id=str(case.pk))
        self.assertEqual(event.changes["title"][1], titles[winner])
        self.assertIn(titles[1 - winner], outcomes[1 - winner].response.content.decode())

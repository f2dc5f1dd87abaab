"""Officers mark where their municipality stands with a published case; the history,
the audit, the public case page and the adoptions overview follow."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.cases import adoption as services
from tsunagari.cases.models import AdoptionStep, CaseAdoption, ModelCase
from tsunagari.cases.sample_adoption import load_sample_adoptions
from tsunagari.cases.tests.adoption_factory import make_case
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.geo.models import Municipality
from tsunagari.test import BaseTestCase


def adopt_data(**overrides: str) -> dict[str, str]:
    data = {"municipality": "142051", "stage": "interest", "on": "令和7年7月30日", "note": ""}
    data.update(overrides)
    return data


class AdoptTest(BaseTestCase):
    def setUp(self) -> None:
        self.case = make_case()
        self.url = f"/cases/{self.case.pk}/adopt/"

    def test_an_officer_moves_forward_and_back_and_the_history_keeps_every_step(self) -> None:
        self.login(self.officer)
        r = self.client.post(self.url, adopt_data(stage="interest", on="R7.6.1"))
        self.assertRedirects(r, f"/cases/{self.case.pk}/", fetch_redirect_response=False)
        self.client.post(self.url, adopt_data(stage="implementing", on="2025-09-01", note="開始"))
        self.client.post(self.url, adopt_data(stage="considering", on="令和7年10月1日"))
        adoption = CaseAdoption.objects.get(case=self.case)
        self.assertEqual(adoption.municipality_id, "142051")
        self.assertEqual(adoption.stage, "considering")
        self.assertEqual(adoption.stage_since, dt.date(2025, 10, 1))
        history = list(adoption.history.values_list("stage", "on"))
        self.assertEqual(
            history,
            [
                ("interest", dt.date(2025, 6, 1)),
                ("implementing", dt.date(2025, 9, 1)),
                ("considering", dt.date(2025, 10, 1)),
            ],
        )
        self.assertEqual(AdoptionStep.objects.get(stage="implementing").note, "開始")
        self.assertEqual(
            AuditEvent.objects.for_object(adoption).count(), 3, "created, then two changes"
        )

    def test_the_same_stage_again_updates_the_note_without_a_new_step(self) -> None:
        self.login(self.officer)
        self.client.post(self.url, adopt_data())
        self.client.post(self.url, adopt_data(note="課内で共有した"))
        adoption = CaseAdoption.objects.get(case=self.case)
        self.assertEqual(adoption.note, "課内で共有した")
        self.assertEqual(adoption.history.count(), 1)

    def test_the_public_case_page_shows_the_municipality_with_its_stage_in_wareki(self) -> None:
        self.login(self.officer)
        r = self.client.post(self.url, adopt_data(stage="implementing"), follow=True)
        self.assertContains(r, "藤沢市")
        self.client.logout()
        r = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(r, "藤沢市")
        self.assertContains(r, "実施")
        self.assertContains(r, "令和7年7月30日から")
        self.assertNotContains(r, "導入を記録する")

    def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(self) -> None:
        self.login(self.officer)
        r = self.client.post(self.url, adopt_data(on="来週", note="メモは残る"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "メモは残る")
        self.assertContains(r, 'value="来週"')
        self.assertFalse(CaseAdoption.objects.exists())
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        r = self.client.post(self.url, adopt_data(on=tomorrow.isoformat()))
        self.assertContains(r, "今日より後の日付は入れられません。")

    def test_an_officer_cannot_adopt_for_another_municipality(self) -> None:
        self.login(self.officer)
        r = self.client.post(self.url, adopt_data(municipality="142166"))
        self.assertEqual(r.status_code, 200)
        self.assertFalse(CaseAdoption.objects.exists())

    def test_an_officer_of_several_municipalities_is_asked_which(self) -> None:
        zama = Municipality.objects.get(code="142166")
        factory.add_capacities(self.officer, municipalities=(zama,))
        self.login(self.officer)
        r = self.client.get(self.url)
        self.assertContains(r, '<select name="municipality"')
        self.client.post(self.url, adopt_data(municipality="142166"))
        self.assertEqual(CaseAdoption.objects.get().municipality_id, "142166")

    def test_a_ward_officer_adopts_for_the_city(self) -> None:
        ward = Municipality.objects.filter(kind=Municipality.Kind.WARD).first()
        assert ward is not None and ward.parent_id
        officer = factory.make_user("ward@example.jp", User.Role.MUNICIPALITY, municipality=ward)
        self.login(officer)
        self.client.post(self.url, adopt_data(municipality=ward.parent_id))
        self.assertEqual(CaseAdoption.objects.get().municipality_id, ward.parent_id)

    def test_a_draft_cannot_be_adopted(self) -> None:
        draft = make_case("【テスト】下書き", status=ModelCase.Status.DRAFT)
        self.login(self.officer)
        self.assertEqual(self.client.get(f"/cases/{draft.pk}/adopt/").status_code, 404)

    def test_only_local_collaborations_and_resources_may_be_linked(self) -> None:
        local = factory.make_resource("【テスト】藤沢の居場所", municipality="142051")
        far = factory.make_resource("【テスト】座間の居場所", municipality="142166")
        self.organization.municipalities.set(Municipality.objects.filter(pk="142051"))
        self.other_organization.municipalities.set(Municipality.objects.filter(pk="142166"))
        near_collab = Collaboration.objects.create(
            proposer=self.organization, partner=self.other_organization, title="【テスト】連携"
        )
        CollaborationParty.objects.create(
            collaboration=near_collab, organization=self.organization, role="lead"
        )
        self.login(self.officer)
        r = self.client.get(self.url)
        self.assertContains(r, "【テスト】藤沢の居場所")
        self.assertNotContains(r, "【テスト】座間の居場所")
        self.assertContains(r, "【テスト】連携")
        self.client.post(self.url, adopt_data(resource=str(far.pk)))
        self.assertFalse(CaseAdoption.objects.exists())
        self.client.post(
            self.url,
            adopt_data(
                stage="implementing", resource=str(local.pk), collaboration=str(near_collab.pk)
            ),
        )
        adoption = CaseAdoption.objects.get()
        self.assertEqual((adoption.resource, adoption.collaboration), (local, near_collab))
        self.client.logout()
        r = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(r, f'href="/resources/{local.pk}/"')
        self.assertNotContains(r, "【テスト】連携", msg_prefix="collaborations are not public")
        self.login(self.staff)
        self.assertContains(self.client.get(f"/cases/{self.case.pk}/"), "【テスト】連携")


class AdoptionListTest(BaseTestCase):
    def setUp(self) -> None:
        self.case = make_case()
        other = make_case("【テスト】二つ目の事例")
        services.set_stage(
            self.case,
            Municipality.objects.get(pk="142051"),
            stage="implementing",
            on=dt.date(2025, 5, 1),
        )
        services.set_stage(
            other, Municipality.objects.get(pk="142166"), stage="interest", on=dt.date(2025, 5, 2)
        )
        services.set_stage(
            other, Municipality.objects.get(pk="142051"), stage="interest", on=dt.date(2025, 5, 3)
        )

    def test_an_officer_sees_their_municipalitys_adoptions_only(self) -> None:
        self.login(self.officer)
        r = self.client.get("/cases/adoptions/")
        self.assertContains(r, "【テスト】地域の居場所をつなぐ")
        self.assertContains(r, "令和7年5月1日")
        self.assertNotContains(r, "座間市")
        self.assertNotContains(r, "市町村ごと・段階ごとの件数")

    def test_the_secretariat_sees_counts_per_municipality_and_stage(self) -> None:
        self.login(self.secretariat)
        with self.assertNumQueries(5):
            r = self.client.get("/cases/adoptions/")
        self.assertContains(r, "市町村ごと・段階ごとの件数")
        self.assertEqual(
            [(row["municipality"].pk, row["stages"]) for row in r.context["per_municipality"]],
            [("142051", [1, 0, 1, 0]), ("142166", [1, 0, 0, 0])],
        )
        self.assertEqual(r.context["totals"], [2, 0, 1, 0])

    def test_adoption_counts_for_other_apps(self) -> None:
        counts = services.adoption_counts()
        self.assertEqual(
            counts["142051"], {"interest": 1, "considering": 0, "implementing": 1, "established": 0}
        )
        self.assertEqual(services.implemented(counts["142051"]), 1)
        self.case.status = ModelCase.Status.DRAFT
        self.case.save()
        self.assertEqual(services.adoption_counts()["142051"]["implementing"], 0)

    def test_staff_may_not_read_the_adoptions_page(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get("/cases/adoptions/").status_code, 403)


class SampleTest(BaseTestCase):
    def test_nothing_without_a_sample_case(self) -> None:
        self.assertEqual(load_sample_adoptions(), [])

    def test_the_first_sample_case_is_taken_up_by_two_municipalities(self) -> None:
        case = make_case("【サンプル】事例")
        ModelCase.objects.filter(pk=case.pk).update(is_sample=True)
        factory.make_resource("【サンプル】藤沢の場", municipality="142051")
        self.assertEqual(len(load_sample_adoptions()), 2)
        self.assertEqual(load_sample_adoptions(), [], "a second run makes nothing")
        fujisawa = CaseAdoption.objects.get(municipality="142051")
        self.assertEqual(fujisawa.stage, "implementing")
        self.assertTrue(fujisawa.is_sample)
        self.assertIsNotNone(fujisawa.resource)
        self.assertEqual(
            list(fujisawa.history.values_list("stage", flat=True)),
            ["interest", "considering", "implementing"],
        )
        self.assertEqual(CaseAdoption.objects.get(municipality="142166").stage, "interest")

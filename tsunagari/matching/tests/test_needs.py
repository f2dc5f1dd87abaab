"""Needs (ニーズ): the list, posting, editing, closing, and who may do what."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.factory import make_resource
from tsunagari.matching.models import Need, ResidentRequest, Suggestion
from tsunagari.test import BaseTestCase


def make_need(title: str = "週末に親子で参加できる場がほしい", **fields: Any) -> Need:
    targets = fields.pop("targets", ("kosodate",))
    kinds = fields.pop("kinds", ("ibasho",))
    fields.setdefault("description", "土日に親子で気軽に過ごせる場所が近くにありません。")
    fields.setdefault("municipality_id", "142051")
    need = Need.objects.create(title=title, **fields)
    need.target_groups.set(TargetGroup.objects.filter(slug__in=targets))
    need.kinds_wanted.set(Kind.objects.filter(slug__in=kinds))
    return need


def make_suggestion(need: Need, resource: Any, rank: int = 1, **fields: Any) -> Suggestion:
    fields.setdefault("score", 1.0 / rank)
    fields.setdefault("reasons", ["同じ市町村", "対象: 子育て世帯"])
    return Suggestion.objects.create(need=need, resource=resource, rank=rank, **fields)


def need_data(**overrides: Any) -> dict[str, Any]:
    kosodate = TargetGroup.objects.get(slug="kosodate")
    ibasho = Kind.objects.get(slug="ibasho")
    data: dict[str, Any] = {
        "title": "週末に親子で参加できる場がほしい",
        "description": "土日に親子で気軽に過ごせる場所が近くにありません。",
        "municipality": "142051",
        "target_groups": [str(kosodate.pk)],
        "kinds_wanted": [str(ibasho.pk)],
        "urgency": "normal",
    }
    data.update(overrides)
    return data


class NeedListTestCase(BaseTestCase):
    def test_it_lists_open_needs_of_every_member_for_every_signed_in_role(self) -> None:
        make_need(
            "外国籍の単身者が入居できる住まいが見つからない", organization=self.other_organization
        )
        make_need("終わったニーズ", organization=self.organization, status=Need.Status.CLOSED)
        for user in (self.staff, self.other_staff, self.officer, self.secretariat):
            with self.subTest(user=user.email):
                self.login(user)
                r = self.client.get("/needs/")
                self.assertContains(r, "外国籍の単身者が入居できる住まいが見つからない")
                self.assertNotContains(r, "終わったニーズ")

    def test_it_sends_anonymous_visitors_to_sign_in(self) -> None:
        r = self.client.get("/needs/")
        self.assertRedirects(r, "/accounts/login/?next=/needs/", fetch_redirect_response=False)

    def test_it_never_lists_withdrawn_needs(self) -> None:
        make_need("取り下げたニーズ", organization=self.organization, status=Need.Status.WITHDRAWN)
        self.login(self.secretariat)
        self.assertNotContains(self.client.get("/needs/?status=all"), "取り下げたニーズ")

    def test_it_filters_by_municipality_including_the_wards_of_a_city(self) -> None:
        make_need("港北区のニーズ", municipality_id="141097")  # 横浜市港北区
        make_need("藤沢市のニーズ")
        self.login(self.staff)
        r = self.client.get("/needs/?municipality=141003")  # 横浜市
        self.assertContains(r, "港北区のニーズ")
        self.assertNotContains(r, "藤沢市のニーズ")

    def test_it_filters_by_target_group_kind_urgency_and_status(self) -> None:
        make_need("子育てのニーズ", targets=("kosodate",), kinds=("ibasho",))
        make_need("高齢者のニーズ", targets=("koreisha",), kinds=("food",), urgency="high")
        make_need("つながったニーズ", status=Need.Status.MET)
        self.login(self.staff)
        r = self.client.get("/needs/?target=koreisha")
        self.assertContains(r, "高齢者のニーズ")
        self.assertNotContains(r, "子育てのニーズ")
        r = self.client.get("/needs/?kind=ibasho")
        self.assertContains(r, "子育てのニーズ")
        self.assertNotContains(r, "高齢者のニーズ")
        r = self.client.get("/needs/?urgency=high")
        self.assertContains(r, "高齢者のニーズ")
        self.assertNotContains(r, "子育てのニーズ")
        r = self.client.get("/needs/?status=met")
        self.assertContains(r, "つながったニーズ")
        self.assertNotContains(r, "子育てのニーズ")

    def test_it_answers_an_htmx_filter_with_the_list_only(self) -> None:
        make_need("子育てのニーズ")
        self.login(self.staff)
        r = self.client.get(
            "/needs/?kind=ibasho", headers={"HX-Request": "true", "HX-Target": "needs"}
        )
        self.assertContains(r, "子育てのニーズ")
        self.assertNotContains(r, "<html")

    def test_it_shows_the_list_in_a_fixed_number_of_queries(self) -> None:
        for n in range(12):
            make_need(f"ニーズ{n}", organization=self.other_organization)
        self.login(self.staff)
        self.client.get("/needs/")  # warm caches (session, content types)
        # session, user, count, needs, target groups, kinds, municipality choices x2,
        # target/kind choices
        with self.assertNumQueries(9):
            r = self.client.get("/needs/")
        self.assertContains(r, "ニーズ11")

    def test_it_labels_needs_from_residents_and_never_shows_the_request(self) -> None:
        need = make_need("放課後に中学生が安心して過ごせる場", origin=Need.Origin.RESIDENT)
        ResidentRequest.objects.create(
            text="うちの子が放課後に行く場所がない。山田花子 090-0000-0000",
            contact_consent=True,
            contact_name="山田花子",
            contact_phone="090-0000-0000",
            status=ResidentRequest.Status.PUBLISHED,
            need=need,
        )
        for user in (self.staff, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                for url in ("/needs/", f"/needs/{need.pk}/"):
                    r = self.client.get(url)
                    self.assertContains(r, "放課後に中学生が安心して過ごせる場")
                    self.assertContains(r, "住民の声から")
                    self.assertNotContains(r, "山田花子")
                    self.assertNotContains(r, "090-0000-0000")
                    self.assertNotContains(r, "うちの子")


class NeedNewTestCase(BaseTestCase):
    def test_it_saves_a_need_for_the_staff_organisation_and_queues_the_engine(self) -> None:
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            r = self.client.post("/needs/new/", need_data())
        need = Need.objects.get()
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        self.assertEqual(need.organization, self.organization)
        self.assertEqual(need.created_by, self.staff)
        self.assertEqual(need.origin, Need.Origin.MEMBER)
        self.assertEqual([t.slug for t in need.target_groups.all()], ["kosodate"])
        self.assertEqual([k.slug for k in need.kinds_wanted.all()], ["ibasho"])
        self.assertTrue(callbacks)  # queued on commit (the dashboard's tallies follow it too)
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.get()
        self.assertTrue(task.task_path.endswith("refresh_need"))
        self.assertEqual(task.args_kwargs["args"], [need.pk])
        event = AuditEvent.objects.for_object(need).get()
        self.assertEqual(event.action, AuditEvent.Action.CREATE)
        self.assertEqual(event.actor, self.staff)

    def test_the_secretariat_posts_for_the_network(self) -> None:
        self.login(self.secretariat)
        self.client.post("/needs/new/", need_data(municipality="140007"))
        need = Need.objects.get()
        self.assertIsNone(need.organization)
        self.assertEqual(need.municipality_id, "140007")
        self.assertContains(self.client.get(f"/needs/{need.pk}/"), "県全域")

    def test_it_normalises_full_width_input(self) -> None:
        self.login(self.staff)
        self.client.post(
            "/needs/new/",
            need_data(title="週末に親子で参加できる場がほしい（ＡＢＣ１２３）"),
        )
        self.assertEqual(Need.objects.get().title, "週末に親子で参加できる場がほしい(ABC123)")

    def test_it_offers_the_prefecture_and_wards_as_areas(self) -> None:
        self.login(self.staff)
        r = self.client.get("/needs/new/")
        self.assertContains(r, '<option value="140007">神奈川県全域</option>', html=True)
        self.assertContains(r, '<optgroup label="横浜市">')
        self.assertContains(r, "港北区")

    def test_it_keeps_what_was_typed_when_something_is_missing(self) -> None:
        self.login(self.staff)
        r = self.client.post("/needs/new/", need_data(title="", municipality=""))
        self.assertContains(r, "ニーズの見出しを入力してください。", status_code=400)
        self.assertContains(r, "地域を選んでください。", status_code=400)
        self.assertContains(
            r, "土日に親子で気軽に過ごせる場所が近くにありません。", status_code=400
        )
        kosodate = TargetGroup.objects.get(slug="kosodate")
        self.assertRegex(r.content.decode(), rf'value="{kosodate.pk}"[^>]*checked')
        self.assertFalse(Need.objects.exists())

    def test_an_officer_posts_for_their_municipality_only(self) -> None:
        # Issue 15: an officer posts as their municipality (details in test_officer_needs.py).
        self.login(self.officer)
        self.assertEqual(self.client.post("/needs/new/", need_data()).status_code, 302)
        need = Need.objects.get()
        self.assertIsNone(need.organization)
        self.assertEqual(need.origin, Need.Origin.MUNICIPALITY)


class NeedEditTestCase(BaseTestCase):
    def test_the_owner_edits_and_the_change_is_recorded(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                f"/needs/{need.pk}/edit/", need_data(urgency="high", title="週末の親子の場")
            )
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        need.refresh_from_db()
        self.assertEqual(need.urgency, "high")
        event = AuditEvent.objects.for_object(need).get()
        self.assertEqual(event.changes["urgency"], ["normal", "high"])
        self.assertEqual(
            event.changes["title"], ["週末に親子で参加できる場がほしい", "週末の親子の場"]
        )

    def test_staff_of_another_member_cannot_edit(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.other_staff)
        self.assertEqual(self.client.get(f"/needs/{need.pk}/edit/").status_code, 403)
        r = self.client.post(f"/needs/{need.pk}/edit/", need_data(title="乗っ取り"))
        self.assertEqual(r.status_code, 403)
        need.refresh_from_db()
        self.assertEqual(need.title, "週末に親子で参加できる場がほしい")

    def test_an_officer_reads_but_sees_no_edit_buttons(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.officer)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, "週末に親子で参加できる場がほしい")
        self.assertNotContains(r, "編集する")
        self.assertNotContains(r, "取り下げる")
        self.assertEqual(self.client.post(f"/needs/{need.pk}/status/close/").status_code, 403)

    def test_the_owner_marks_a_need_met_and_reopens_it(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        r = self.client.post(f"/needs/{need.pk}/status/met/")
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        need.refresh_from_db()
        self.assertEqual(need.status, Need.Status.MET)
        self.assertContains(self.client.get(f"/needs/{need.pk}/"), "募集を再開する")
        self.client.post(f"/needs/{need.pk}/status/reopen/")
        need.refresh_from_db()
        self.assertEqual(need.status, Need.Status.OPEN)
        actions = list(AuditEvent.objects.for_object(need).values_list("action", flat=True))
        self.assertEqual(actions, ["status", "status"])

    def test_a_withdrawn_need_disappears_for_other_members(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        self.client.post(f"/needs/{need.pk}/status/withdraw/")
        self.assertEqual(self.client.get(f"/needs/{need.pk}/").status_code, 200)
        self.login(self.other_staff)
        self.assertEqual(self.client.get(f"/needs/{need.pk}/").status_code, 404)

    def test_an_unknown_status_action_is_not_found(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        self.assertEqual(self.client.post(f"/needs/{need.pk}/status/delete/").status_code, 404)


class NeedDetailTestCase(BaseTestCase):
    def test_other_members_see_the_need_but_not_its_suggestions(self) -> None:
        need = make_need(organization=self.organization)
        resource = make_resource("サンプル 親子ひろば", organization=self.other_organization)
        make_suggestion(need, resource, state=Suggestion.State.BOOKMARKED)
        for user in (self.other_staff, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                r = self.client.get(f"/needs/{need.pk}/")
                self.assertContains(r, "週末に親子で参加できる場がほしい")
                self.assertNotContains(r, "サンプル 親子ひろば")
                self.assertNotContains(r, "ブックマーク")

    def test_other_members_may_offer_to_collaborate_on_the_need(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.other_staff)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, f'href="/needs/{need.pk}/respond/"')
        self.assertContains(r, "協力を申し出る")

    def test_the_owner_and_an_officer_get_no_offer_button(self) -> None:
        need = make_need(organization=self.organization)
        for user in (self.staff, self.officer, self.secretariat):
            with self.subTest(user=user.email):
                self.login(user)
                r = self.client.get(f"/needs/{need.pk}/")
                self.assertNotContains(r, "/respond/")

    def test_it_says_it_is_computing_until_the_engine_has_run(self) -> None:
        need = make_need(organization=self.organization)
        self.login(self.staff)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, "計算中です")
        self.assertContains(r, 'hx-trigger="every 3s"')
        need.suggestions_computed_at = timezone.now()
        need.save()
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertNotContains(r, "計算中です")
        self.assertContains(r, "合いそうな社会資源は見つかりませんでした")

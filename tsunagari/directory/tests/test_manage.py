"""Staff and the secretariat manage resources: the list, access, verify, delete,
unpublish and history. Form details are in test_manage_forms.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.directory import search
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

LIST = "/manage/resources/"


def page_form_data(client: Client, url: str) -> dict[str, Any]:
    """Every form and formset of a page, posted back as the page shows them."""
    context = client.get(url).context
    data: dict[str, Any] = {}
    for name in ("form", "locations", "schedules"):
        if name in context:
            data.update(_form_data(context[name]))
    return data


def _form_data(form: BaseForm | BaseFormSet) -> dict[str, Any]:
    if isinstance(form, BaseFormSet):
        data = _form_data(form.management_form)
        for f in form.forms:
            data.update(_form_data(f))
        return data
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def new_resource_data(
    locations: list[dict[str, Any]] | None = None,
    schedules: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """POST data of a complete new resource: one place, one weekly schedule."""
    if locations is None:
        locations = [{"name": "サンプル公民館", "municipality": "142051", "address": "藤沢市1-1"}]
    if schedules is None:
        schedules = [
            {"frequency": "weekly", "weekdays": ["3"], "opens_at": "10:00", "closes_at": "12:00"}
        ]
    data: dict[str, Any] = {
        "name": "サンプル 水曜サロン",
        "description": "だれでも立ち寄れるサロンです（サンプル）。",
        "kinds": ["1"],
        "languages": ["ja"],
        "status": "published",
        "loc-TOTAL_FORMS": str(len(locations)),
        "loc-INITIAL_FORMS": "0",
        "sch-TOTAL_FORMS": str(len(schedules)),
        "sch-INITIAL_FORMS": "0",
    }
    from tsunagari.directory.models import Kind

    data["kinds"] = [str(Kind.objects.get(slug="ibasho").pk)]
    for i, location in enumerate(locations):
        data.update({f"loc-{i}-{k}": v for k, v in location.items()})
    for i, schedule in enumerate(schedules):
        data.update({f"sch-{i}-{k}": v for k, v in schedule.items()})
    data.update(overrides)
    return data


class ResourceListTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.own = make_resource("サンプル 自分の居場所", organization=self.organization)
        self.others = make_resource("サンプル よその居場所", organization=self.other_organization)

    def test_it_lists_only_the_staff_members_own_resources(self) -> None:
        self.login(self.staff)
        r = self.client.get(LIST)
        self.assertContains(r, "サンプル 自分の居場所")
        self.assertContains(r, f'href="/manage/resources/{self.own.pk}/edit/"')
        self.assertNotContains(r, "サンプル よその居場所")

    def test_the_secretariat_sees_every_resource_and_filters_them(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(LIST)
        self.assertContains(r, "サンプル 自分の居場所")
        self.assertContains(r, "サンプル よその居場所")
        r = self.client.get(LIST, {"organization": self.other_organization.pk})
        self.assertNotContains(r, "サンプル 自分の居場所")
        self.assertContains(r, "サンプル よその居場所")
        r = self.client.get(LIST, {"q": "自分"})
        self.assertContains(r, "サンプル 自分の居場所")
        self.assertNotContains(r, "サンプル よその居場所")

    def test_it_filters_by_status_and_staleness(self) -> None:
        Resource.objects.filter(pk=self.own.pk).update(status=Resource.Status.DRAFT)
        Resource.objects.filter(pk=self.others.pk).update(last_verified_on=dt.date(2020, 4, 1))
        self.login(self.secretariat)
        r = self.client.get(LIST, {"status": "draft"})
        self.assertContains(r, "サンプル 自分の居場所")
        self.assertNotContains(r, "サンプル よその居場所")
        r = self.client.get(LIST, {"stale": "on"})
        self.assertContains(r, "サンプル よその居場所")
        Resource.objects.filter(pk=self.own.pk).update(last_verified_on=timezone.localdate())
        r = self.client.get(LIST, {"stale": "on"})
        self.assertNotContains(r, "サンプル 自分の居場所")

    def test_it_shows_the_last_verification_in_wareki_with_a_stale_mark(self) -> None:
        Resource.objects.filter(pk=self.own.pk).update(last_verified_on=dt.date(2020, 4, 1))
        self.login(self.staff)
        r = self.client.get(LIST)
        self.assertContains(r, "令和2年4月1日")
        self.assertContains(r, "1年以上未確認")

    def test_a_municipality_officer_may_not_manage_resources(self) -> None:
        self.login(self.officer)
        self.assertEqual(self.client.get(LIST).status_code, 403)

    def test_the_query_count_does_not_grow_with_the_resources(self) -> None:
        self.login(self.secretariat)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(LIST)
        for i in range(8):
            make_resource(
                f"サンプル 追加{i}", organization=self.organization, kinds=("ibasho", "event")
            )
        with self.assertNumQueries(len(queries)):
            r = self.client.get(LIST)
        self.assertContains(r, "サンプル 追加7")

    def test_the_staff_list_query_count_does_not_grow_either(self) -> None:
        self.login(self.staff)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(LIST)
        for i in range(8):
            make_resource(f"サンプル 追加{i}", organization=self.organization)
        with self.assertNumQueries(len(queries)):
            self.client.get(LIST)


class ResourceAccessTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource("サンプル 居場所", organization=self.organization)
        self.edit = f"/manage/resources/{self.resource.pk}/edit/"

    def test_the_owner_and_the_secretariat_may_edit(self) -> None:
        for user in (self.staff, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.get(self.edit).status_code, 200)

    def test_another_members_staff_may_not(self) -> None:
        self.login(self.other_staff)
        self.assertEqual(self.client.get(self.edit).status_code, 403)
        data = new_resource_data(name="乗っ取り")
        self.assertEqual(self.client.post(self.edit, data).status_code, 403)
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.name, "サンプル 居場所")

    def test_a_missing_resource_is_not_found(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.get("/manage/resources/999999/edit/").status_code, 404)

    def test_a_resource_of_a_non_member_is_only_the_secretariats(self) -> None:
        window = make_resource("サンプル 相談窓口", provider_name="サンプル市")
        self.login(self.staff)
        url = f"/manage/resources/{window.pk}/edit/"
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.secretariat)
        self.assertEqual(self.client.get(url).status_code, 200)


class VerifyAndDeleteTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource(
            "サンプル 居場所", organization=self.organization, last_verified_on=dt.date(2020, 4, 1)
        )
        self.login(self.staff)

    def test_confirming_the_information_sets_the_last_verified_date_to_today(self) -> None:
        r = self.client.post(f"/manage/resources/{self.resource.pk}/verify/", follow=True)
        self.assertContains(r, "情報を確認済みにしました")
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.last_verified_on, timezone.localdate())
        event = AuditEvent.objects.for_object(self.resource).get()
        self.assertEqual(event.actor, self.staff)
        self.assertEqual(event.changes["last_verified_on"][0], "2020-04-01")

    def test_confirming_needs_a_post(self) -> None:
        r = self.client.get(f"/manage/resources/{self.resource.pk}/verify/")
        self.assertEqual(r.status_code, 405)

    def test_delete_asks_for_confirmation_first(self) -> None:
        url = f"/manage/resources/{self.resource.pk}/delete/"
        r = self.client.get(url)
        self.assertContains(r, "「サンプル 居場所」を削除しますか")
        self.assertTrue(Resource.objects.filter(pk=self.resource.pk).exists())
        r = self.client.post(url, follow=True)
        self.assertContains(r, "「サンプル 居場所」を削除しました。")
        self.assertFalse(Resource.objects.filter(pk=self.resource.pk).exists())

    def test_another_members_staff_cannot_delete(self) -> None:
        self.login(self.other_staff)
        r = self.client.post(f"/manage/resources/{self.resource.pk}/delete/")
        self.assertEqual(r.status_code, 403)
        self.assertTrue(Resource.objects.filter(pk=self.resource.pk).exists())


class UnpublishTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.resource = make_resource("サンプル 子ども食堂", organization=self.organization)
        search.reindex(self.resource)
        self.url = f"/manage/resources/{self.resource.pk}/unpublish/"

    def test_the_secretariat_unpublishes_with_a_reason_and_search_no_longer_finds_it(self) -> None:
        self.assertIn(self.resource, search.search(q="子ども食堂"))
        self.login(self.secretariat)
        r = self.client.post(self.url, {"reason": "開催実態が確認できないため"}, follow=True)
        self.assertContains(r, "非公開にしました")
        self.assertContains(r, "開催実態が確認できないため")
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.status, Resource.Status.UNPUBLISHED)
        self.assertNotIn(self.resource, search.search(q="子ども食堂"))
        self.assertEqual(Client().get(f"/resources/{self.resource.pk}/").status_code, 404)

    def test_a_reason_is_required(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(self.url, {"reason": ""})
        self.assertContains(r, "理由を入力してください。", status_code=400)
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.status, Resource.Status.PUBLISHED)

    def test_staff_cannot_unpublish_or_republish(self) -> None:
        self.login(self.staff)
        self.assertEqual(self.client.post(self.url, {"reason": "x"}).status_code, 403)
        self.resource.unpublish(by=self.secretariat, reason="確認中")
        r = self.client.post(f"/manage/resources/{self.resource.pk}/republish/")
        self.assertEqual(r.status_code, 403)

    def test_the_owner_saving_the_form_does_not_republish(self) -> None:
        self.resource.unpublish(by=self.secretariat, reason="確認中")
        self.login(self.staff)
        edit = f"/manage/resources/{self.resource.pk}/edit/"
        r = self.client.get(edit)
        self.assertContains(r, "事務局が非公開にしました。再公開は事務局が行います。")
        data = page_form_data(self.client, edit)
        data["status"] = "published"
        data["name"] = "サンプル 子ども食堂 改訂版"
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.name, "サンプル 子ども食堂 改訂版")
        self.assertEqual(self.resource.status, Resource.Status.UNPUBLISHED)

    def test_the_secretariat_republishes(self) -> None:
        self.resource.unpublish(by=self.secretariat, reason="確認中")
        self.login(self.secretariat)
        r = self.client.post(f"/manage/resources/{self.resource.pk}/republish/", follow=True)
        self.assertContains(r, "再公開しました")
        self.resource.refresh_from_db()
        self.assertEqual(self.resource.status, Resource.Status.PUBLISHED)
        self.assertEqual(self.resource.unpublished_reason, "")
        self.assertIn(self.resource, search.search(q="子ども食堂"))


class HistoryTestCase(BaseTestCase):
    def test_it_shows_who_changed_what_with_japanese_field_labels(self) -> None:
        resource = make_resource("サンプル 居場所", organization=self.organization, fee="無料")
        self.login(self.staff)
        edit = f"/manage/resources/{resource.pk}/edit/"
        data = page_form_data(self.client, edit)
        data["fee"] = "1回100円"
        data["sch-0-frequency"] = "monthly_nth"
        data["sch-0-weekdays"] = ["6"]
        data["sch-0-weeks_of_month"] = ["2", "4"]
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.login(self.secretariat)
        self.client.post(f"/manage/resources/{resource.pk}/unpublish/", {"reason": "重複登録"})

        r = self.client.get(f"/manage/resources/{resource.pk}/history/")
        self.assertContains(r, "<strong>費用</strong>：無料 → 1回100円", html=True)
        self.assertContains(r, "<strong>日程</strong>：（空） → 第2・第4土曜", html=True)
        self.assertContains(
            r, "<strong>公開状態</strong>：公開中 → 事務局が非公開にした", html=True
        )
        self.assertContains(r, "重複登録")
        self.assertContains(r, self.staff.full_name)

    def test_another_members_staff_cannot_see_it(self) -> None:
        resource = make_resource("サンプル 居場所", organization=self.organization)
        self.login(self.other_staff)
        r = self.client.get(f"/manage/resources/{resource.pk}/history/")
        self.assertEqual(r.status_code, 403)

"""Creating and editing a resource: schedules in organisers' words, places, checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.directory import search
from tsunagari.directory.models import Kind, Resource
from tsunagari.directory.tests.test_manage import new_resource_data, page_form_data
from tsunagari.factory import make_resource
from tsunagari.test import BaseTestCase

NEW = "/manage/resources/new/"


class ScheduleFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.staff)

    def create(self, schedule: dict[str, Any]) -> Resource:
        r = self.client.post(NEW, new_resource_data(schedules=[schedule]))
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        return Resource.objects.get(name="サンプル 水曜サロン")

    def schedule_text(self, schedule: dict[str, Any]) -> str:
        return str(self.create(schedule).schedules.get())

    def test_every_wednesday(self) -> None:
        text = self.schedule_text(
            {"frequency": "weekly", "weekdays": ["3"], "opens_at": "10:00", "closes_at": "12:00"}
        )
        self.assertEqual(text, "毎週水曜 10:00〜12:00")

    def test_second_and_fourth_saturday(self) -> None:
        text = self.schedule_text(
            {
                "frequency": "monthly_nth",
                "weekdays": ["6"],
                "weeks_of_month": ["2", "4"],
                "opens_at": "１０:００",  # full-width digits from a Japanese keyboard
                "closes_at": "12:00",
            }
        )
        self.assertEqual(text, "第2・第4土曜 10:00〜12:00")

    def test_the_last_friday(self) -> None:
        text = self.schedule_text(
            {"frequency": "monthly_nth", "weekdays": ["5"], "weeks_of_month": ["-1"]}
        )
        self.assertEqual(text, "最終金曜")

    def test_the_15th_of_every_month(self) -> None:
        self.assertEqual(
            self.schedule_text({"frequency": "monthly_day", "day_of_month": "15"}), "毎月15日"
        )

    def test_a_one_off_event(self) -> None:
        text = self.schedule_text(
            {"frequency": "once", "starts_on": "2025-08-23", "opens_at": "13:30"}
        )
        self.assertEqual(text, "令和7年8月23日（土） 13:30〜")

    def test_irregular_with_a_note(self) -> None:
        text = self.schedule_text({"frequency": "irregular", "note": "月1回程度、SNSでお知らせ"})
        self.assertEqual(text, "不定期（月1回程度、SNSでお知らせ）")

    def test_fields_that_the_frequency_does_not_use_are_not_kept(self) -> None:
        resource = self.create({"frequency": "weekly", "weekdays": ["3"], "day_of_month": "15"})
        self.assertIsNone(resource.schedules.get().day_of_month)

    def test_the_schedule_is_linked_to_the_only_place(self) -> None:
        resource = self.create({"frequency": "weekly", "weekdays": ["3"]})
        self.assertEqual(resource.schedules.get().location, resource.locations.get())

    def test_a_second_saturday_without_a_weekday_shows_errors_and_keeps_what_was_typed(
        self,
    ) -> None:
        data = new_resource_data(
            schedules=[
                {
                    "frequency": "monthly_nth",
                    "weeks_of_month": ["2", "4"],
                    "opens_at": "10:00",
                    "closes_at": "09:00",
                    "note": "雨天中止",
                }
            ]
        )
        r = self.client.post(NEW, data)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "曜日を選んでください。", status_code=400)
        self.assertContains(r, "終了時刻は開始時刻より後にしてください。", status_code=400)
        self.assertContains(r, "入力内容を確認してください", status_code=400)
        # What was typed is still there.
        self.assertContains(r, 'value="サンプル 水曜サロン"', status_code=400)
        self.assertContains(r, 'value="雨天中止"', status_code=400)
        self.assertContains(r, 'value="サンプル公民館"', status_code=400)
        self.assertContains(
            r,
            'name="sch-0-weeks_of_month" value="2" id="id_sch-0-weeks_of_month_1" checked',
            status_code=400,
        )
        self.assertFalse(Resource.objects.filter(name="サンプル 水曜サロン").exists())

    def test_the_15th_needs_a_day_and_a_one_off_needs_a_date(self) -> None:
        data = new_resource_data(
            schedules=[{"frequency": "monthly_day"}, {"frequency": "once", "opens_at": "10:00"}]
        )
        r = self.client.post(NEW, data)
        self.assertContains(r, "日付（1〜31）を入力してください。", status_code=400)
        self.assertContains(r, "開催日を入力してください。", status_code=400)

    def test_a_run_of_dates_must_not_end_before_it_starts(self) -> None:
        data = new_resource_data(
            schedules=[{"frequency": "once", "starts_on": "2025-08-23", "ends_on": "2025-08-01"}]
        )
        r = self.client.post(NEW, data)
        self.assertContains(r, "終了日は開始日より後にしてください。", status_code=400)


class ResourceFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.staff)

    def test_the_staff_create_for_their_own_organisation_and_saving_verifies(self) -> None:
        data = new_resource_data(organization=str(self.other_organization.pk))
        r = self.client.post(NEW, data, follow=True)
        self.assertContains(r, "「サンプル 水曜サロン」を登録しました。")
        self.assertContains(r, "サンプル 水曜サロン")
        resource = Resource.objects.get(name="サンプル 水曜サロン")
        self.assertEqual(resource.organization, self.organization)
        self.assertEqual(resource.created_by, self.staff)
        self.assertEqual(resource.last_verified_on, timezone.localdate())
        self.assertEqual(resource.status, Resource.Status.PUBLISHED)
        event = AuditEvent.objects.for_object(resource).get()
        self.assertEqual(event.action, AuditEvent.Action.CREATE)
        self.assertEqual(event.changes["name"], [None, "サンプル 水曜サロン"])
        self.assertIn(resource, search.search(q="水曜サロン"))

    def test_input_is_normalised(self) -> None:
        data = new_resource_data(phone="０４５－０００－００００", name="サンプル　ＡＢＣサロン")
        data["loc-0-postal_code"] = "２５１００５２"
        self.assertEqual(self.client.post(NEW, data).status_code, 302)
        resource = Resource.objects.get()
        self.assertEqual(resource.phone, "045-000-0000")
        self.assertEqual(resource.name, "サンプル ABCサロン")
        self.assertEqual(resource.locations.get().postal_code, "251-0052")

    def test_a_draft_is_not_public(self) -> None:
        self.client.post(NEW, new_resource_data(status="draft"))
        resource = Resource.objects.get()
        self.assertEqual(resource.status, Resource.Status.DRAFT)
        self.assertNotIn(resource, search.search(q="水曜サロン"))

    def test_the_staff_cannot_choose_unpublished(self) -> None:
        r = self.client.post(NEW, new_resource_data(status="unpublished"))
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Resource.objects.exists())

    def test_a_place_is_required_unless_online_only(self) -> None:
        r = self.client.post(NEW, new_resource_data(locations=[]))
        self.assertContains(r, "場所を1つ以上入力してください", status_code=400)
        r = self.client.post(NEW, new_resource_data(locations=[], online_only="on"))
        self.assertEqual(r.status_code, 302)
        resource = Resource.objects.get()
        self.assertTrue(resource.is_online)
        self.assertFalse(resource.locations.exists())

    def test_a_hidden_address_is_saved(self) -> None:
        location = {
            "name": "サンプル相談室",
            "municipality": "141020",  # 横浜市神奈川区: a ward
            "address": "横浜市神奈川区1-1",
            "hide_address": "on",
        }
        self.assertEqual(
            self.client.post(NEW, new_resource_data(locations=[location])).status_code, 302
        )
        place = Resource.objects.get().locations.get()
        self.assertTrue(place.hide_address)
        self.assertEqual(place.public_address, "横浜市神奈川区")

    def test_the_municipality_select_groups_wards_under_their_city(self) -> None:
        r = self.client.get(NEW)
        self.assertContains(r, '<optgroup label="横浜市">')
        self.assertNotContains(r, "神奈川県全域</option>")

    def test_add_a_place_brings_back_the_page_with_one_more_row_and_nothing_lost(self) -> None:
        data = new_resource_data(name="", add_location="1")
        r = self.client.post(NEW, data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'name="loc-1-name"')
        self.assertContains(r, 'value="サンプル公民館"')
        self.assertNotContains(r, "入力内容を確認してください")
        self.assertFalse(Resource.objects.exists())
        r = self.client.post(NEW, new_resource_data(add_schedule="1"))
        self.assertContains(r, 'name="sch-1-frequency"')

    def test_two_places_and_a_schedule_at_the_second(self) -> None:
        data = new_resource_data(
            locations=[
                {"name": "会場A", "municipality": "142051"},
                {"name": "会場B", "municipality": "142069"},
            ],
            schedules=[{"frequency": "weekly", "weekdays": ["2"], "location_index": "1"}],
        )
        self.assertEqual(self.client.post(NEW, data).status_code, 302)
        resource = Resource.objects.get()
        self.assertEqual(resource.locations.count(), 2)
        self.assertEqual(resource.schedules.get().location.name, "会場B")  # type: ignore[union-attr]

    def test_editing_keeps_the_schedule_and_removes_a_deleted_one(self) -> None:
        resource = make_resource(
            "サンプル 居場所",
            organization=self.organization,
            schedules=({"frequency": "weekly", "weekdays": "3"}, {"frequency": "irregular"}),
        )
        edit = f"/manage/resources/{resource.pk}/edit/"
        data = page_form_data(self.client, edit)
        self.assertEqual(data["sch-0-weekdays"], ["3"])
        data["sch-1-DELETE"] = "on"
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.assertEqual([str(s) for s in resource.schedules.all()], ["毎週水曜"])

    def test_a_retired_kind_is_not_offered_but_stays_on_its_resources(self) -> None:
        resource = make_resource(
            "サンプル 居場所", organization=self.organization, kinds=("ibasho", "food")
        )
        Kind.objects.filter(slug="food").update(is_active=False)
        edit = f"/manage/resources/{resource.pk}/edit/"
        r = self.client.get(edit)
        self.assertNotContains(r, "食の支援")
        data = page_form_data(self.client, edit)
        # The browser sends only the boxes it shows.
        data["kinds"] = [str(Kind.objects.get(slug="ibasho").pk)]
        self.assertEqual(self.client.post(edit, data).status_code, 302)
        self.assertEqual(sorted(resource.kinds.values_list("slug", flat=True)), ["food", "ibasho"])

    def test_the_edit_page_offers_confirmation_history_and_delete(self) -> None:
        resource = make_resource("サンプル 居場所", organization=self.organization)
        r = self.client.get(f"/manage/resources/{resource.pk}/edit/")
        self.assertContains(r, "情報を確認しました")
        self.assertContains(r, f'href="/manage/resources/{resource.pk}/history/"')
        self.assertContains(r, f'href="/manage/resources/{resource.pk}/delete/"')
        self.assertNotContains(r, "非公開にする")


class SecretariatResourceFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_the_secretariat_picks_the_organisation(self) -> None:
        data = new_resource_data(organization=str(self.other_organization.pk))
        self.assertEqual(self.client.post(NEW, data).status_code, 302)
        self.assertEqual(Resource.objects.get().organization, self.other_organization)

    def test_a_non_member_provider_needs_a_source_and_a_verification_date(self) -> None:
        data = new_resource_data(provider_name="サンプル市 福祉課")
        r = self.client.post(NEW, data)
        self.assertContains(r, "構成員以外の窓口には出典が必要です。", status_code=400)
        self.assertContains(r, "構成員以外の窓口には最終確認日が必要です。", status_code=400)
        self.assertContains(r, 'value="サンプル市 福祉課"', status_code=400)
        data.update(source="サンプル市ウェブサイト", last_verified_on="2025-06-01")
        self.assertEqual(self.client.post(NEW, data).status_code, 302)
        resource = Resource.objects.get()
        self.assertIsNone(resource.organization)
        self.assertEqual(resource.last_verified_on, dt.date(2025, 6, 1))

    def test_the_secretariat_sees_the_unpublish_button(self) -> None:
        resource = make_resource("サンプル 居場所", organization=self.organization)
        r = self.client.get(f"/manage/resources/{resource.pk}/edit/")
        self.assertContains(r, f'href="/manage/resources/{resource.pk}/unpublish/"')


class TaxonomyTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def test_it_lists_the_four_taxonomies(self) -> None:
        r = self.client.get("/manage/taxonomies/")
        for title in ("資源の種類", "対象", "相談の分野", "アクセシビリティ"):
            self.assertContains(r, title)
        r = self.client.get("/manage/taxonomies/kinds/")
        self.assertContains(r, "居場所")
        self.assertContains(r, "<code>ibasho</code>", html=True)

    def test_a_new_kind_appears_in_the_resource_form(self) -> None:
        data = {
            "slug": "kodomo-shokudo",
            "name": "子ども食堂",
            "sort_order": "5",
            "is_active": "on",
        }
        r = self.client.post("/manage/taxonomies/kinds/new/", data, follow=True)
        self.assertContains(r, "「子ども食堂」を保存しました。")
        self.assertContains(self.client.get(NEW), "子ども食堂")
        self.assertEqual(
            AuditEvent.objects.for_object(Kind.objects.get(slug="kodomo-shokudo")).count(), 1
        )

    def test_renaming_keeps_the_slug_and_deactivating_hides_it_from_the_form(self) -> None:
        kind = Kind.objects.get(slug="food")
        url = f"/manage/taxonomies/kinds/{kind.pk}/edit/"
        data = {"slug": "changed", "name": "食の支援・フードパントリー", "sort_order": "90"}
        self.client.post(url, data, follow=True)
        kind.refresh_from_db()
        self.assertEqual(kind.slug, "food")
        self.assertEqual(kind.name, "食の支援・フードパントリー")
        self.assertFalse(kind.is_active)
        self.assertNotContains(self.client.get(NEW), "食の支援・フードパントリー")

    def test_a_slug_must_be_unique_and_ascii(self) -> None:
        r = self.client.post(
            "/manage/taxonomies/targets/new/", {"slug": "kodomo", "name": "x", "sort_order": "1"}
        )
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            "/manage/taxonomies/targets/new/", {"slug": "こども", "name": "x", "sort_order": "1"}
        )
        self.assertContains(r, "半角英数字とハイフンだけで入力してください。", status_code=400)

    def test_an_unknown_taxonomy_is_not_found(self) -> None:
        self.assertEqual(self.client.get("/manage/taxonomies/colours/").status_code, 404)

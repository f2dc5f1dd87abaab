"""The secretariat screens residents' requests: list, read (audited), publish, reject."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from tsunagari.audit.models import AuditEvent
from tsunagari.directory.models import Kind, TargetGroup
from tsunagari.factory import make_resource
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.test import BaseTestCase

ORIGINAL = "藤沢市辻堂の山田花子です。週末に息子と行ける場所がほしいです。電話090-0000-0000"


def make_request(**fields: Any) -> ResidentRequest:
    values: dict[str, Any] = {"text": ORIGINAL, "municipality_id": "142051"}
    values.update(fields)
    return ResidentRequest.objects.create(**values)


def publish_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "週末に親子で参加できる場がほしい",
        "description": "藤沢市の子育て中の方から、週末に親子で行ける場所がほしいという声です。",
        "municipality": "142051",
        "urgency": "normal",
        "personal_details_removed": "on",
    }
    data.update(overrides)
    return data


def queued_refreshes(need: Need) -> int:
    from django_tasks_db.models import DBTaskResult

    return sum(
        1
        for result in DBTaskResult.objects.all()
        if result.task_path.endswith("refresh_need") and need.pk in result.args_kwargs["args"]
    )


class ListTests(BaseTestCase):
    url = "/secretariat/voices/"

    def test_it_lists_new_voices_newest_first(self) -> None:
        older = make_request(text="古い声です。", received_on="2026-01-05")
        newer = make_request(text="新しい声です。", received_on="2026-02-10")
        make_request(text="公開しなかった声です。", status=ResidentRequest.Status.REJECTED)
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertEqual(list(r.context["page"]), [newer, older])
        self.assertContains(r, "令和8年2月10日")
        self.assertNotContains(r, "公開しなかった声です。")

    def test_it_filters_by_status(self) -> None:
        make_request(text="新しい声です。")
        make_request(text="公開しなかった声です。", status=ResidentRequest.Status.REJECTED)
        self.login(self.secretariat)
        r = self.client.get(self.url + "?status=rejected")
        self.assertContains(r, "公開しなかった声です。")
        self.assertNotContains(r, "新しい声です。")
        r = self.client.get(self.url + "?status=all")
        self.assertEqual(r.context["page"].paginator.count, 2)

    def test_it_does_not_grow_in_queries_with_voices(self) -> None:
        families = TargetGroup.objects.get(slug="kosodate")
        for i in range(3):
            make_request(text=f"声{i}").target_groups.add(families)
        self.login(self.secretariat)
        self.client.get(self.url)
        with self.assertNumQueries(5):  # session, user, count, page (+municipality), groups
            self.client.get(self.url)
        for i in range(10):
            make_request(text=f"もっと声{i}", municipality_id="141003").target_groups.add(families)
        with self.assertNumQueries(5):
            r = self.client.get(self.url)
        self.assertEqual(len(r.context["page"]), 13)

    def test_the_dashboard_counts_the_new_voices(self) -> None:
        make_request()
        make_request()
        make_request(status=ResidentRequest.Status.REJECTED)
        self.login(self.secretariat)
        r = self.client.get("/my/")
        self.assertContains(r, "住民の声")
        self.assertContains(r, "（未確認 <strong>2</strong>件）", html=False)


class DetailTests(BaseTestCase):
    def test_it_shows_the_original_and_the_consented_contact(self) -> None:
        item = make_request(
            contact_consent=True, contact_name="山田花子", contact_email="hanako@example.org"
        )
        self.login(self.secretariat)
        r = self.client.get(f"/secretariat/voices/{item.pk}/")
        self.assertContains(r, ORIGINAL)
        self.assertContains(r, "hanako@example.org")
        self.assertContains(r, "連絡先を削除")

    def test_every_look_is_audited(self) -> None:
        item = make_request()
        self.login(self.secretariat)
        self.client.get(f"/secretariat/voices/{item.pk}/")
        self.client.get(f"/secretariat/voices/{item.pk}/")
        views = AuditEvent.objects.for_object(item).filter(action=AuditEvent.Action.VIEW)
        self.assertEqual(views.count(), 2)
        self.assertEqual(views.first().actor, self.secretariat)  # type: ignore[union-attr]

    def test_the_publish_form_starts_from_the_original(self) -> None:
        families = TargetGroup.objects.get(slug="kosodate")
        item = make_request()
        item.target_groups.add(families)
        self.login(self.secretariat)
        form = self.client.get(f"/secretariat/voices/{item.pk}/").context["publish_form"]
        self.assertEqual(form["description"].value(), ORIGINAL)
        self.assertEqual(form["municipality"].value(), "142051")
        self.assertEqual(form["target_groups"].value(), [families.pk])


class PublishTests(BaseTestCase):
    def test_it_publishes_a_need_from_the_resident_and_ranks_seeds_for_it(self) -> None:
        make_resource("サンプル親子のひろば", organization=self.organization)
        item = make_request()
        families = TargetGroup.objects.get(slug="kosodate")
        ibasho = Kind.objects.get(slug="ibasho")
        self.login(self.secretariat)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                f"/secretariat/voices/{item.pk}/publish/",
                publish_data(target_groups=[families.pk], kinds_wanted=[ibasho.pk]),
            )
        self.assertRedirects(r, "/secretariat/voices/", fetch_redirect_response=False)
        need = Need.objects.get()
        self.assertEqual(need.origin, Need.Origin.RESIDENT)
        self.assertIsNone(need.organization)
        self.assertEqual(need.created_by, self.secretariat)
        self.assertEqual(need.status, Need.Status.OPEN)
        self.assertEqual(list(need.target_groups.all()), [families])
        self.assertEqual(list(need.kinds_wanted.all()), [ibasho])
        self.assertNotIn("山田", need.description)
        item.refresh_from_db()
        self.assertEqual(item.status, ResidentRequest.Status.PUBLISHED)
        self.assertEqual(item.need, need)
        self.assertEqual(item.screened_by, self.secretariat)
        self.assertEqual(queued_refreshes(need), 1)
        self.run_tasks()
        need.refresh_from_db()
        self.assertIsNotNone(need.suggestions_computed_at)

    def test_it_requires_confirming_personal_details_were_removed(self) -> None:
        item = make_request()
        self.login(self.secretariat)
        r = self.client.post(
            f"/secretariat/voices/{item.pk}/publish/",
            publish_data(personal_details_removed="", description=ORIGINAL),
        )
        self.assertContains(
            r, "個人が特定される内容を取り除いたことを確かめてください", status_code=400
        )
        self.assertContains(r, "週末に親子で参加できる場がほしい", status_code=400)
        self.assertFalse(Need.objects.exists())
        item.refresh_from_db()
        self.assertEqual(item.status, ResidentRequest.Status.NEW)

    def test_it_does_not_publish_twice(self) -> None:
        item = make_request()
        self.login(self.secretariat)
        url = f"/secretariat/voices/{item.pk}/publish/"
        self.client.post(url, publish_data())
        r = self.client.post(url, publish_data(), follow=True)
        self.assertContains(r, "この声はすでに「ニーズとして公開」になっています。")
        self.assertEqual(Need.objects.count(), 1)

    def test_it_rejects_with_a_note(self) -> None:
        item = make_request()
        self.login(self.secretariat)
        r = self.client.post(
            f"/secretariat/voices/{item.pk}/reject/", {"note": "相談窓口につなぐ内容のため"}
        )
        self.assertRedirects(r, "/secretariat/voices/", fetch_redirect_response=False)
        item.refresh_from_db()
        self.assertEqual(item.status, ResidentRequest.Status.REJECTED)
        self.assertEqual(item.screening_note, "相談窓口につなぐ内容のため")
        self.assertFalse(Need.objects.exists())
        self.assertTrue(
            AuditEvent.objects.for_object(item).filter(action=AuditEvent.Action.STATUS).exists()
        )

    def test_it_deletes_the_contact_after_handling(self) -> None:
        item = make_request(
            contact_consent=True, contact_name="山田花子", contact_phone="045-000-0000"
        )
        self.login(self.secretariat)
        r = self.client.post(f"/secretariat/voices/{item.pk}/forget-contact/", follow=True)
        self.assertContains(r, "連絡先を削除しました。")
        self.assertNotContains(r, "045-000-0000")
        item.refresh_from_db()
        self.assertEqual(
            (item.contact_consent, item.contact_name, item.contact_phone), (False, "", "")
        )
        update = AuditEvent.objects.for_object(item).get(action=AuditEvent.Action.UPDATE)
        self.assertNotIn("山田", str(update.changes) + update.note)


class PermissionTests(BaseTestCase):
    def test_members_and_officers_never_see_the_voices(self) -> None:
        item = make_request(contact_consent=True, contact_email="hanako@example.org")
        for user in (self.staff, self.other_staff, self.officer):
            self.login(user)
            for url in ("/secretariat/voices/", f"/secretariat/voices/{item.pk}/"):
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            for action in ("publish", "reject", "forget-contact"):
                url = f"/secretariat/voices/{item.pk}/{action}/"
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.post(url, publish_data()).status_code, 403)
        item.refresh_from_db()
        self.assertEqual(item.status, ResidentRequest.Status.NEW)
        self.assertEqual(item.contact_email, "hanako@example.org")
        self.assertFalse(AuditEvent.objects.for_object(item).exists())

    def test_visitors_are_sent_to_sign_in(self) -> None:
        item = make_request()
        r = self.client.get(f"/secretariat/voices/{item.pk}/")
        self.assertRedirects(
            r,
            f"/accounts/login/?next=/secretariat/voices/{item.pk}/",
            fetch_redirect_response=False,
        )

    def test_a_published_need_shows_members_the_rewrite_not_the_original(self) -> None:
        item = make_request()
        self.login(self.secretariat)
        self.client.post(f"/secretariat/voices/{item.pk}/publish/", publish_data())
        need = Need.objects.get()
        self.login(self.staff)
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, "週末に親子で参加できる場がほしい")
        self.assertNotContains(r, "山田花子")
        self.assertNotContains(r, "090-0000-0000")


class TemplateTagTests(TestCase):
    def test_the_count_reads_only_new_voices(self) -> None:
        from tsunagari.matching.templatetags.resident_requests import new_voice_count

        make_request()
        make_request(status=ResidentRequest.Status.PUBLISHED)
        self.assertEqual(new_voice_count(), 1)

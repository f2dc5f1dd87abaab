"""Writing a case: from scratch with its partners, steps and photos (inline formsets),
「どの立場で」 for staff of several organisations, photo checks (real JPEG/PNG/WebP by their
bytes, alt text, size), editing only while a draft, and 「自分たちのモデル事例」."""

from __future__ import annotations

from django.test import override_settings

from tsunagari.audit.models import AuditEvent
from tsunagari.cases.models import ModelCase
from tsunagari.cases.tests.factory_cases import case_data, make_case, upload
from tsunagari.core.forms import version_of
from tsunagari.test import MultiRoleTestCase


def with_photo(**fields: object) -> dict[str, object]:
    data = case_data(**{"photos-TOTAL_FORMS": "1"})
    data.update({"photos-0-image": upload(), "photos-0-alt_text": "公民館でコーヒーを飲む人たち"})
    data.update(fields)
    return data


class AuthoringTest(MultiRoleTestCase):
    def test_staff_write_a_draft_with_partners_steps_and_a_photo(self) -> None:
        self.login(self.staff)
        r = self.client.post("/cases/new/", with_photo())
        case = ModelCase.objects.get()
        self.assertRedirects(r, f"/cases/{case.pk}/")
        self.assertEqual(case.status, ModelCase.Status.DRAFT)
        self.assertEqual(case.organization, self.organization)
        self.assertEqual([p.name for p in case.partners.all()], ["朝カフェの会"])
        self.assertEqual([s.title for s in case.steps.all()], ["公民館と相談する"])
        photo = case.photos.get()
        self.assertEqual((photo.content_type, photo.width, photo.height), ("image/png", 4, 3))
        self.assertIn(" 公民館 ", case.search_tokens)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_id=str(case.pk)).exists())
        page = self.client.get(f"/cases/{case.pk}/")
        self.assertContains(page, "公民館と相談する")
        self.assertContains(page, 'alt="公民館でコーヒーを飲む人たち"')

    def test_a_photo_loses_its_location_data(self) -> None:
        """A phone's photo carries where it was taken (EXIF GPS); the stored copy must not."""
        from io import BytesIO

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        exif = Image.Exif()
        exif[0x8825] = {2: (35.0, 20.0, 0.0), 4: (139.0, 29.0, 0.0)}  # GPSInfo
        exif[0x0112] = 6  # Orientation: rotated 90°
        raw = BytesIO()
        Image.new("RGB", (4, 3), "orange").save(raw, format="JPEG", exif=exif)
        self.assertIn(b"Exif", raw.getvalue())
        self.login(self.staff)
        data = with_photo()
        data["photos-0-image"] = SimpleUploadedFile("gps.jpg", raw.getvalue(), "image/jpeg")
        self.assertEqual(self.client.post("/cases/new/", data).status_code, 302)
        photo = ModelCase.objects.get().photos.get()
        with photo.image.open("rb") as stored:
            content = stored.read()
        self.assertNotIn(b"Exif", content)
        with Image.open(BytesIO(content)) as image:
            self.assertEqual(image.size, (3, 4))  # turned upright before the EXIF was dropped
            self.assertFalse(image.getexif())
        self.assertEqual((photo.width, photo.height), (3, 4))

    def test_a_fake_image_is_refused_and_the_form_keeps_what_was_typed(self) -> None:
        self.login(self.staff)
        data = with_photo()
        data["photos-0-image"] = upload("evil.png", content=b"<script>alert(1)</script>")
        r = self.client.post("/cases/new/", data)
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "写真として読めません", status_code=400)
        self.assertContains(r, "公民館の朝カフェ", status_code=400)
        self.assertFalse(ModelCase.objects.exists())

    def test_a_gif_is_refused_even_named_png(self) -> None:
        self.login(self.staff)
        data = with_photo()
        data["photos-0-image"] = upload("x.png", kind="GIF")
        r = self.client.post("/cases/new/", data)
        self.assertContains(r, "JPEG・PNG・WebPのみ", status_code=400)

    def test_jpeg_and_webp_are_accepted(self) -> None:
        self.login(self.staff)
        for kind, content_type in (("JPEG", "image/jpeg"), ("WEBP", "image/webp")):
            data = with_photo(title=f"【テスト】{kind}")
            data["photos-0-image"] = upload("p.bin", kind=kind)
            self.assertEqual(self.client.post("/cases/new/", data).status_code, 302)
            photo = ModelCase.objects.get(title=f"【テスト】{kind}").photos.get()
            self.assertEqual(photo.content_type, content_type)

    def test_alt_text_is_required(self) -> None:
        self.login(self.staff)
        data = with_photo()
        data["photos-0-alt_text"] = ""
        r = self.client.post("/cases/new/", data)
        self.assertContains(r, "写真の説明を書いてください。", status_code=400)

    @override_settings(CASE_PHOTO_MAX_MB=0)
    def test_a_photo_over_the_limit_is_refused(self) -> None:
        self.login(self.staff)
        r = self.client.post("/cases/new/", with_photo())
        self.assertContains(r, "写真が大きすぎます", status_code=400)

    def test_staff_of_two_organisations_choose_as_whom(self) -> None:
        self.login(self.two_org_staff)
        r = self.client.get("/cases/new/")
        self.assertContains(r, "どの立場で")
        r = self.client.post("/cases/new/", case_data())
        self.assertContains(r, "どの立場で行うかを選んでください。", status_code=400)
        r = self.client.post("/cases/new/", case_data(acting_for=str(self.other_organization.pk)))
        self.assertEqual(ModelCase.objects.get().organization, self.other_organization)

    def test_the_secretariat_writes_as_itself(self) -> None:
        self.login(self.secretariat)
        self.client.post("/cases/new/", case_data())
        self.assertIsNone(ModelCase.objects.get().organization)

    def test_an_end_before_the_start_is_refused(self) -> None:
        self.login(self.staff)
        r = self.client.post("/cases/new/", case_data(ended_on="2024-01-01"))
        self.assertContains(r, "終了日は開始日より後にしてください。", status_code=400)

    def test_editing_changes_the_formsets_and_is_audited(self) -> None:
        case = make_case(status=ModelCase.Status.DRAFT, organization=self.organization)
        self.login(self.staff)
        r = self.client.get(f"/cases/{case.pk}/edit/")
        self.assertContains(r, f'name="seen" value="{version_of(case)}"')
        partner = case.partners.get()
        data = case_data(
            title="【テスト】直した名前",
            seen=version_of(case),
            **{
                "partners-TOTAL_FORMS": "1",
                "partners-INITIAL_FORMS": "1",
                "partners-0-id": str(partner.pk),
                "partners-0-name": partner.name,
                "partners-0-sector": "community",
                "partners-0-DELETE": "on",
                "steps-TOTAL_FORMS": "0",
            },
        )
        self.assertEqual(self.client.post(f"/cases/{case.pk}/edit/", data).status_code, 302)
        case.refresh_from_db()
        self.assertEqual(case.title, "【テスト】直した名前")
        self.assertFalse(case.partners.exists())
        event = AuditEvent.objects.get(action="update", object_id=str(case.pk))
        self.assertIn("title", event.changes)

    def test_a_case_in_review_cannot_be_edited(self) -> None:
        case = make_case(status=ModelCase.Status.REVIEW, organization=self.organization)
        self.login(self.staff)
        r = self.client.post(f"/cases/{case.pk}/edit/", case_data(title="変えたい"))
        self.assertRedirects(r, f"/cases/{case.pk}/")
        case.refresh_from_db()
        self.assertNotEqual(case.title, "変えたい")

    def test_my_cases_show_every_state_and_the_return_reason(self) -> None:
        make_case("【テスト】下書き", status="draft", organization=self.organization)
        make_case(
            "【テスト】差し戻し",
            status="draft",
            organization=self.organization,
            returned_reason="費用を書いてください。",
        )
        make_case("【テスト】確認待ち", status="review", organization=self.organization)
        make_case("【テスト】公開", organization=self.organization)
        make_case("【テスト】他団体", status="draft", organization=self.other_organization)
        self.login(self.staff)
        r = self.client.get("/cases/mine/")
        for title in ("下書き", "差し戻し", "確認待ち", "公開", "費用を書いてください。"):
            self.assertContains(r, title)
        self.assertNotContains(r, "他団体")

"""修了証 (certificates): issuing one per attended registration, its serial number, and
the printable PDF with a QR code to the public verify page.

A serial is `TS-<era><year>-<six digits>` (TS-R8-000123): the 和暦 year of the course
and a number counted per year in CertificateSequence under a row lock, so two
certificates issued at the same moment never share one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tsunagari.core.mail import queue_email
from tsunagari.lib.pdf import FAMILY, FontMissing, add_japanese_fonts
from tsunagari.lib.wareki import ERAS, era_year, format_wareki
from tsunagari.supporters.access import organiser_name
from tsunagari.supporters.models import Certificate, CertificateSequence, Registration

__all__ = ["FontMissing", "build_pdf", "issue_certificate", "next_serial", "render_pdf"]

SERIAL_PREFIX = "TS"


def era_prefix(day: date) -> str:
    """ "R8" for 令和8年 (2026)."""
    name, year = era_year(day)
    abbreviation = next(era.abbreviation for era in ERAS if era.name == name)
    return f"{abbreviation}{year}"


def next_serial(day: date) -> str:
    """The next serial of the 和暦 year of `day`; called inside transaction.atomic()."""
    prefix = era_prefix(day)
    updated = CertificateSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CertificateSequence.objects.create(prefix=prefix, last=1)
        except IntegrityError:  # another request made the year's row first
            CertificateSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    # The UPDATE holds the row's lock until the caller's transaction ends.
    last = CertificateSequence.objects.get(prefix=prefix).last
    return f"{SERIAL_PREFIX}-{prefix}-{last:06d}"


def verify_path(serial: str) -> str:
    return reverse("supporters:verify", args=[serial])


def verify_url(serial: str) -> str:
    return settings.SITE_URL.rstrip("/") + verify_path(serial)


def issue_certificate(registration: Registration) -> tuple[Certificate, bool]:
    """The registration's certificate, made now if it has none (True) and mailed.

    Called with the registration locked (attendance.mark_attended). A certificate of a
    registration ticked off and on again is valid again, not a second one.
    """
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        if existing.revoked_at is not None and registration.erased_at is None:
            existing.revoked_at = None
            existing.save(update_fields=["revoked_at"])
        return existing, False
    course = registration.course
    completed_on = timezone.localdate(course.starts_at)
    certificate = Certificate.objects.create(
        registration=registration,
        serial=next_serial(completed_on),
        name_printed=registration.name,
        course_title=course.title,
        completed_on=completed_on,
    )
    if registration.email:
        mail_certificate(registration, certificate)
    return certificate, True


def mail_certificate(registration: Registration, certificate: Certificate) -> None:
    token = registration.token
    queue_email(
        "supporters/email/certificate",
        [registration.email],
        {
            "name": registration.name,
            "course_title": certificate.course_title,
            "serial": certificate.serial,
            "pdf_path": reverse("supporters:certificate_pdf", args=[token]),
            "page_path": reverse("supporters:supporter_certificate", args=[token]),
            "opportunities_path": reverse("supporters:opportunities", args=[token]),
            "stop_path": reverse("supporters:opportunities_stop", args=[token]),
            "opted_in": registration.opportunities_opt_in,
        },
        language=registration.language,
    )


# ------------------------------------------------------------------ the PDF


@dataclass(frozen=True)
class CertificateText:
    """What one certificate prints (also the key of the memoised PDF)."""

    serial: str
    name: str
    course_title: str
    completed_on: date
    organiser: str
    url: str
    language: str


def certificate_text(certificate: Certificate) -> CertificateText:
    registration = certificate.registration
    return CertificateText(
        serial=certificate.serial,
        name=certificate.name_printed,
        course_title=certificate.course_title,
        completed_on=certificate.completed_on,
        organiser=organiser_name(registration.course),
        url=verify_url(certificate.serial),
        language="en" if registration.language.startswith("en") else "ja",
    )


def _date_text(day: date, language: str) -> str:
    if language == "en":
        return formats.date_format(day, "j F Y")
    return format_wareki(day)


class CertificatePDF(FPDF):
    """One 修了証 on A4 landscape. `drawn` keeps each printed text in order (the tests
    read it; text in a subset CID font is hard to read back from the file)."""

    def __init__(self, text: CertificateText) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.content = text
        self.drawn: list[str] = []
        self.set_auto_page_break(False)
        self.set_margins(25, 20, 25)
        self.words = {
            "title": _("修了証"),
            "subtitle": _("つながりサポーター養成講座"),
            "honorific": _("%(name)s 殿"),
            "body": _(
                "あなたは「%(course)s」を修了し、つながりサポーターとして"
                "地域のつながりづくりに加わったことを証します。"
            ),
            "completed": _("修了日：%(date)s"),
            "organiser": _("主催：%(organiser)s"),
            "serial": _("修了証番号：%(serial)s"),
            "verify": _("この修了証が本物かどうかは、QRコードのページで確かめられます。"),
            "network": _("かながわつながりネットワーク"),
        }
        printed = [text.name, text.course_title, text.organiser, text.url, text.serial]
        printed.append(_date_text(text.completed_on, text.language))
        add_japanese_fonts(self, [*self.words.values(), *printed, "0123456789"])
        self.set_title(f"{self.words['title']} {text.serial}")
        self.set_lang(text.language)
        self.set_creator("Tsunagari")

    def centred(self, text: str, size: float, *, bold: bool = False, height: float = 0) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.cell(0, height or size * 0.55, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.drawn.append(text)

    def wrapped(self, text: str, size: float, width: float) -> None:
        self.set_font(FAMILY, "", size)
        self.set_x((self.w - width) / 2)
        self.multi_cell(width, size * 0.6, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.drawn.append(text)

    def qr(self, data: str, x: float, y: float, size: float) -> None:
        """The QR code drawn as squares (vector: sharp at any print size), with the quiet
        zone of 4 modules on white."""
        code = segno.make(data, error="m", micro=False)
        modules = list(code.matrix_iter(scale=1, border=4))
        step = size / len(modules)
        self.set_fill_color(255)
        self.rect(x, y, size, size, style="F")
        self.set_fill_color(0)
        for row, line in enumerate(modules):
            for column, dark in enumerate(line):
                if dark:
                    self.rect(x + column * step, y + row * step, step, step, style="F")
        self.drawn.append(f"QR:{data}")

    def build(self) -> CertificatePDF:
        t = self.content
        self.add_page()
        self.set_draw_color(60, 90, 140)
        self.set_line_width(1.2)
        self.rect(10, 10, self.w - 20, self.h - 20)
        self.set_line_width(0.4)
        self.rect(13, 13, self.w - 26, self.h - 26)
        self.set_y(28)
        self.centred(self.words["title"], 36, bold=True, height=18)
        self.centred(self.words["subtitle"], 14, height=8)
        self.ln(10)
        self.centred(self.words["honorific"] % {"name": t.name}, 24, bold=True, height=14)
        self.ln(8)
        self.wrapped(self.words["body"] % {"course": t.course_title}, 15, 200)
        self.ln(8)
        self.centred(self.words["completed"] % {"date": _date_text(t.completed_on, t.language)}, 13)
        self.ln(2)
        self.centred(self.words["organiser"] % {"organiser": t.organiser}, 13)
        self.ln(2)
        self.centred(self.words["network"], 13)
        # The serial and the QR code at the foot, right.
        size = 34.0
        x, y = self.w - 25 - size, self.h - 22 - size
        self.qr(t.url, x, y, size)
        self.set_font(FAMILY, "", 9.5)
        self.set_xy(25, self.h - 38)
        serial = self.words["serial"] % {"serial": t.serial}
        self.cell(x - 30, 6, serial, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.drawn.append(serial)
        self.set_x(25)
        self.cell(x - 30, 5, self.words["verify"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.drawn.append(self.words["verify"])
        self.set_x(25)
        self.cell(x - 30, 5, t.url)
        self.drawn.append(t.url)
        return self


def build_pdf(certificate: Certificate) -> CertificatePDF:
    text = certificate_text(certificate)
    with translation.override(text.language):
        return CertificatePDF(text).build()


@lru_cache(maxsize=32)
def _render(text: CertificateText) -> bytes:
    with translation.override(text.language):
        return bytes(CertificatePDF(text).build().output())


def render_pdf(certificate: Certificate) -> bytes:
    """The PDF bytes (FontMissing when no Japanese font is installed)."""
    return _render(certificate_text(certificate))

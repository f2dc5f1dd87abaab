"""The secretariat's 再送する under concurrency (PostgreSQL, real threads): ten presses of
one undelivered mail queue it once, record one audit event and send it once."""

from __future__ import annotations

from django.core import mail

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.core.models import OutgoingMail
from tsunagari.core.tests.test_outbox import undelivered
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of
from tsunagari.test import run_tasks


class ResendRaceTestCase(RaceTestCase):
    def test_ten_presses_of_resend_send_the_mail_once(self) -> None:
        row = undelivered()
        people = make_people(10, "jimukyoku", User.Role.SECRETARIAT)
        url = f"/secretariat/mail/{row.pk}/resend/"
        outcomes = at_once([Post(person, url) for person in people])
        self.assertEqual([o.status for o in outcomes], [302] * 10)
        self.assertEqual(
            sorted(messages_of(outcomes)),
            ["このメールはすでに再送されています。"] * 9
            + ["メールを再送します。数分のうちに送信されます。"],
        )
        self.assertEqual(AuditEvent.objects.for_object(row).count(), 1)
        self.assertEqual(run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(OutgoingMail.objects.get(pk=row.pk).status, OutgoingMail.Status.SENT)

"""Test base: personas for each role, and a way to run the queued background tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core import mail
from django.test import Client, TestCase

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-staple"


def sign_in(client: Client, user: User) -> None:
    """Give `client` a signed-in session for `user`, as if they had passed the login page
    and the second factor.

    Every test signs in through here (never `client.force_login` directly), so that what
    a full sign-in means lives in one place. Someone who must use two-factor sign-in (the
    secretariat, a municipality officer) gets an authenticator app if they have none;
    the session is marked as having passed it, as django_otp.login does."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from tsunagari.twofactor import services

    client.force_login(user)
    device = services.totp_device(user)
    if device is None and services.required(user):
        device = give_authenticator(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def give_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator app for `user` (as if they had set one up)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    user.forget_twofactor()
    return device


def totp_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now, as they would type it: one the
    device has not accepted yet (the next time step when this one was used)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def make_worker(worker_id: str) -> Any:
    """The database worker's own `Worker`, set to run what is ready once and stop."""
    from datetime import timedelta

    from tsunagari.core.management.commands.db_worker import Worker

    return Worker(
        lease=timedelta(minutes=5),
        grace=0,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def run_tasks() -> int:
    """Run every queued task with the database worker's own code, then stop.

    `db_worker --batch` does the same in a loop but also closes idle database
    connections, which would end a test's transaction; the SMTP integration test
    runs the real command in a TransactionTestCase.
    """
    from django_tasks_db.models import DBTaskResult

    worker = make_worker("test")
    count = 0
    while task_result := DBTaskResult.objects.ready().first():
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        count += 1
    return count


class BaseTestCase(TestCase):
    """Personas, one per capacity: the secretariat, a municipality officer (藤沢市), a
    member's staff and a staff member of another member; anonymous residents use
    `self.client` as is. `MultiRoleTestCase` adds people with several capacities."""

    secretariat: User
    officer: User
    staff: User
    other_staff: User
    organization: Organization
    other_organization: Organization
    municipality: Municipality

    @classmethod
    def setUpTestData(cls) -> None:
        cls.municipality = Municipality.objects.get(code="142051")  # 藤沢市
        cls.organization = Organization.objects.get(roster_no=13)
        cls.other_organization = Organization.objects.get(roster_no=14)
        cls.secretariat = factory.make_user("jimukyoku@example.jp", User.Role.SECRETARIAT)
        cls.officer = factory.make_user(
            "fujisawa@example.jp", User.Role.MUNICIPALITY, municipality=cls.municipality
        )
        cls.staff = factory.make_user(
            "staff@example.jp", User.Role.MEMBER, organization=cls.organization
        )
        cls.other_staff = factory.make_user(
            "other@example.jp", User.Role.MEMBER, organization=cls.other_organization
        )

    def login(self, user: User) -> None:
        sign_in(self.client, user)

    def run_tasks(self) -> int:
        return run_tasks()

    def sent_to(self, address: str) -> list[mail.EmailMessage]:
        return [m for m in mail.outbox if address in m.to]


class MultiRoleTestCase(BaseTestCase):
    """The personas, plus `officer_staff` (officer of 藤沢市 and staff of the member
    藤沢市) and `two_org_staff` (staff of both `organization` and `other_organization`)."""

    municipality_member: Organization
    officer_staff: User
    two_org_staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.municipality_member = Organization.objects.get(roster_no=31)  # 藤沢市 (member)
        cls.officer_staff = factory.add_capacities(
            factory.make_user(
                "fujisawa-both@example.jp", User.Role.MUNICIPALITY, municipality=cls.municipality
            ),
            organizations=(cls.municipality_member,),
        )
        cls.two_org_staff = factory.add_capacities(
            factory.make_user(
                "two-orgs@example.jp", User.Role.MEMBER, organization=cls.organization
            ),
            organizations=(cls.other_organization,),
        )

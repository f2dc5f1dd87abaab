"""Who may do what: every route of the project × every persona × every mix of capacities.

Each row is one request (a route, a method, a URL and maybe POST data) with the status
each persona gets. Anonymous visitors of a protected page are sent to sign in (LOGIN);
a signed-in person without the right role gets 403; an allowed GET is 200 and an
allowed POST redirects (302). A route added to urls.py without a row here fails
`test_every_route_is_in_the_matrix`.

One account may hold several capacities. The matrix lists what each capacity gets
alone; a person with several (MULTI_ROLE) gets what the most permissive of them gets,
choosing that capacity where a form asks 「どの立場で」.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import quote

from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tsunagari.accounts.models import User
from tsunagari.accounts.services import invitation_path
from tsunagari.core.models import OutgoingMail
from tsunagari.directory.tests.test_manage import new_resource_data, page_form_data
from tsunagari.factory import application_data, make_application, make_resource
from tsunagari.members.models import Membership, Organization
from tsunagari.test import PASSWORD, MultiRoleTestCase, sign_in

PERSONAS = ("anonymous", "staff", "other_staff", "officer", "secretariat")
# People with several capacities → the single-capacity personas they combine. The
# officer of 藤沢市 is also staff of the member 藤沢市, an organisation no row's objects
# belong to: like `other_staff`'s organisation.
MULTI_ROLE = {
    "officer_staff": ("officer", "other_staff"),
    "two_org_staff": ("staff", "other_staff"),
}
LOGIN = "login"  # 302 to /accounts/login/?next=<the url>

_serial = count(1)


def unique_email(prefix: str) -> str:
    return f"{prefix}{next(_serial)}@example.org"


Url = str | Callable[["AccessMatrixTestCase"], str]
Data = dict[str, Any] | Callable[["AccessMatrixTestCase", str], dict[str, Any]] | None


@dataclass(frozen=True)
class Row:
    route: str  # the route's name, or its pattern when it has none
    method: str
    url: Url
    # Expected status for anonymous, staff, other_staff, officer, secretariat.
    expect: tuple[int | str, int | str, int | str, int | str, int | str]
    data: Data = None
    note: str = field(default="")


def most_permissive(statuses: dict[str, int | str]) -> tuple[str, int | str]:
    """The persona whose status grants the most: success, then 400, 404, 403."""

    def grant(status: int | str) -> int:
        if status == LOGIN:
            return 0
        assert isinstance(status, int)
        return {400: 3, 404: 2, 403: 1}.get(status, 4 if status < 400 else 0)

    return max(statuses.items(), key=lambda item: grant(item[1]))


def seen_of(model: Any, url: str) -> dict[str, str]:
    """For an edit form's POST (…/<pk>/edit/): the version of the row the editor opened,
    as the form sends it (core/forms.SeenVersionForm); nothing for other URLs."""
    from tsunagari.core.forms import version_of

    parts = url.strip("/").split("/")
    if parts[-1] != "edit" or not parts[-2].isdigit():
        return {}
    found = model.objects.filter(pk=int(parts[-2])).first()
    return {"seen": version_of(found)} if found is not None else {}


def everyone(status: int | str) -> tuple[Any, ...]:
    return (status,) * 5


SIGNED_IN = (LOGIN, 200, 200, 200, 200)
SECRETARIAT_PAGE = (LOGIN, 403, 403, 403, 200)
SECRETARIAT_POST = (LOGIN, 403, 403, 403, 302)


# URL factories: a fresh object for every cell, so that one persona's POST does not
# change what the next persona finds.


def undelivered_mail_url(t: AccessMatrixTestCase) -> str:
    mail = OutgoingMail.objects.create(
        to=["someone@example.org"], subject="件名", status=OutgoingMail.Status.UNDELIVERED
    )
    return f"/secretariat/mail/{mail.pk}/resend/"


def org_url(t: AccessMatrixTestCase) -> str:
    return f"/members/{t.organization.pk}/"


def former_member_url(t: AccessMatrixTestCase) -> str:
    org = Organization.objects.create(name="退会した団体", sector="community")
    Membership.objects.create(organization=org, started_on="2024-04-01", ended_on="2025-03-31")
    return f"/members/{org.pk}/"


def invitation_url(t: AccessMatrixTestCase) -> str:
    invited = User.objects.create_user(
        unique_email("invited"),
        full_name="招待",
        organization=t.organization,
    )
    return invitation_path(invited)


def account_url(suffix: str = "") -> Callable[[AccessMatrixTestCase], str]:
    """A fresh staff account's page (its capacities change in the POST rows)."""

    def make(t: AccessMatrixTestCase) -> str:
        user = User.objects.create_user(
            unique_email("account"), full_name="職員", organization=t.organization
        )
        return f"/accounts/users/{user.pk}/{suffix}"

    return make


def returned_application_url(t: AccessMatrixTestCase) -> str:
    application = make_application(contact_email=unique_email("returned"))
    application.return_for_changes(by=t.secretariat, reason="所在地を確認してください。")
    return f"/apply/{application.edit_token}/edit/"


def application_url(t: AccessMatrixTestCase) -> str:
    return f"/secretariat/applications/{make_application(contact_email=unique_email('a')).pk}/"


def action_url(action: str) -> Callable[[AccessMatrixTestCase], str]:
    def make(t: AccessMatrixTestCase) -> str:
        return application_url(t) + f"{action}/"

    return make


def admin_edit_url(t: AccessMatrixTestCase) -> str:
    return f"/secretariat/organizations/{t.organization.pk}/"


def resubmission(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    return application_data(contact_email=unique_email("resubmit"))


def unchanged_form(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    """The page's own form(s) posted back as they are, read as the secretariat or staff."""
    reader = Client()
    sign_in(reader, t.secretariat if url.startswith("/secretariat/") else t.staff)
    context = reader.get(url).context
    data: dict[str, Any] = {}
    for name in ("form", "formset"):
        if name in context:
            data.update(form_data(context[name]))
    return data


def form_data(form: BaseForm | BaseFormSet) -> dict[str, Any]:
    if isinstance(form, BaseFormSet):
        data = form_data(form.management_form)
        for f in form.forms:
            data.update(form_data(f))
        return data
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    return data


def hsds_service_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.directory.hsds import hsds_id
    from tsunagari.factory import make_resource

    return f"/api/v1/hsds/services/{hsds_id('service', make_resource('HSDS 行').pk)}"


def hsds_organization_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.directory.hsds import hsds_id
    from tsunagari.factory import make_resource

    make_resource("HSDS 団体の行", organization=t.organization)
    return f"/api/v1/hsds/organizations/{hsds_id('organization', t.organization.pk)}"


def hsds_taxonomy_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.directory.hsds import KIND

    return f"/api/v1/hsds/taxonomies/{KIND.id}"


def hsds_taxonomy_term_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.directory.hsds import KIND

    return f"/api/v1/hsds/taxonomy_terms/{KIND.term_id('ibasho')}"


def import_upload(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    """A valid one-row resource CSV (the organisation is only read from the secretariat)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "名称,内容,種類,市区町村\r\nマトリクスの居場所,説明,居場所,藤沢市\r\n"
    return {
        "file": SimpleUploadedFile("import.csv", content.encode("utf-8-sig")),
        "organization": t.organization.pk,
    }


# The directory's staff and secretariat pages.
STAFF_PAGE = (LOGIN, 200, 200, 403, 200)
OWNER_PAGE = (LOGIN, 200, 403, 403, 200)
OWNER_POST = (LOGIN, 302, 403, 403, 302)


def own_resource_url(action: str, **fields: Any) -> Callable[[AccessMatrixTestCase], str]:
    """A fresh resource of the staff persona's organisation, and its management page."""

    def make(t: AccessMatrixTestCase) -> str:
        resource = make_resource(organization=t.organization, **fields)
        return f"/manage/resources/{resource.pk}/{action}/"

    return make


def public_resource_url(suffix: str) -> Callable[[AccessMatrixTestCase], str]:
    def make(t: AccessMatrixTestCase) -> str:
        return f"/resources/{make_resource(organization=t.organization).pk}/{suffix}"

    return make


def report_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    from tsunagari.directory.tests.test_report import report_data

    return report_data(message="開催日が変わっています。")


def resource_posted_back(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    """The edit page posted back unchanged, read as the secretariat (all its fields)."""
    reader = Client()
    sign_in(reader, t.secretariat)
    return page_form_data(reader, url)


def term_edit_url(t: AccessMatrixTestCase) -> str:
    from tsunagari.directory.models import AccessibilityFeature

    wheelchair = AccessibilityFeature.objects.get(slug="wheelchair")
    return f"/manage/taxonomies/accessibility/{wheelchair.pk}/edit/"


def report_close_url(action: str) -> Callable[[AccessMatrixTestCase], str]:
    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.directory.models import ErrorReport

        resource = make_resource(organization=t.organization)
        report = ErrorReport.objects.create(resource=resource, message="電話番号が違います。")
        return f"/manage/reports/{report.pk}/{action}/"

    return make


# Matching: needs and suggestions.


def need_url(suffix: str = "", **fields: Any) -> Callable[[AccessMatrixTestCase], str]:
    """A fresh need of the staff persona's organisation, and one of its pages."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.matching.tests.test_needs import make_need

        need = make_need(organization=t.organization, **fields)
        return f"/needs/{need.pk}/{suffix}"

    return make


def suggestion_url(action: str) -> Callable[[AccessMatrixTestCase], str]:
    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.matching.tests.test_needs import make_need, make_suggestion

        need = make_need(organization=t.organization)
        suggestion = make_suggestion(need, make_resource(organization=t.other_organization))
        return f"/needs/{need.pk}/suggestions/{suggestion.pk}/{action}/"

    return make


def need_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    from tsunagari.matching.tests.test_needs import need_data

    return need_data()


# Matching: resident requests and screening.


def voice_url(suffix: str = "") -> Callable[[AccessMatrixTestCase], str]:
    """A fresh resident request (with consented contact) and one of its screening pages."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.matching.tests.test_requests_screening import make_request

        item = make_request(contact_consent=True, contact_email=unique_email("voice"))
        return f"/secretariat/voices/{item.pk}/{suffix}"

    return make


def voice_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    from tsunagari.matching.tests.test_requests_public import voice_data

    return voice_data()


def voice_published(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    from tsunagari.matching.tests.test_requests_screening import publish_data

    return publish_data()


# Municipality officers' area pages (issue 15): objects in 藤沢市 (the officer persona's)
# and in 横浜市 (another municipality's).
AREA_PAGE = (LOGIN, 403, 403, 200, 403)
AREA_POST = (LOGIN, 403, 403, 302, 403)
NOT_MY_AREA = (LOGIN, 403, 403, 403, 403)


def area_resource_url(action: str, municipality: str = "142051") -> Callable[..., str]:
    def make(t: AccessMatrixTestCase) -> str:
        resource = make_resource(organization=t.organization, municipality=municipality)
        return f"/manage/area/resources/{resource.pk}/{action}/"

    return make


def flag_posted(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    return {"reason": "会場が変わっています。"}


def area_voice_url(suffix: str = "", municipality: str = "142051") -> Callable[..., str]:
    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.matching.tests.test_requests_screening import make_request

        item = make_request(
            municipality_id=municipality,
            contact_consent=True,
            contact_email=unique_email("voice"),
        )
        return f"/manage/area/voices/{item.pk}/{suffix}"

    return make


def voice_rejected(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    return {"note": "個別の相談のため"}


def municipality_need_url(suffix: str = "", municipality: str = "142051") -> Callable[..., str]:
    """A fresh need a municipality posted (no organisation), and one of its pages."""

    def make(t: AccessMatrixTestCase) -> str:
        from tsunagari.matching.models import Need
        from tsunagari.matching.tests.test_needs import make_need

        need = make_need(origin=Need.Origin.MUNICIPALITY, municipality_id=municipality)
        return f"/needs/{need.pk}/{suffix}"

    return make


def need_posted_as_officer(t: AccessMatrixTestCase, url: str) -> dict[str, Any]:
    """A need, with 「どの立場で」 answered as the officer of 藤沢市 (only someone with
    several capacities is asked; the others' forms ignore it)."""
    from tsunagari.matching.tests.test_needs import need_data

    return need_data(acting_for="municipality:142051")


GAP_PAGE = (LOGIN, 403, 403, 200, 200)


ROWS: list[Row] = [
    # Public pages.
    Row("core:home", "GET", "/", everyone(200)),
    # Health checks: open to all; /readyz is 503 here, as no task worker beats in the tests.
    Row("core:healthz", "GET", "/healthz", everyone(200)),
    Row("core:readyz", "GET", "/readyz", everyone(503), note="no worker in the tests"),
    Row("members:roster", "GET", "/roster/", everyone(200)),
    Row("members:roster", "GET", "/roster/?as_of=令和7年7月30日&sector=government", everyone(200)),
    Row("members:organization_detail", "GET", org_url, everyone(200)),
    Row(
        "members:organization_detail",
        "GET",
        former_member_url,
        (404, 404, 404, 404, 200),
        note="a former member's page is only the secretariat's",
    ),
    Row("members:apply", "GET", "/apply/", everyone(200)),
    Row(
        "members:apply",
        "POST",
        "/apply/",
        everyone(302),
        data=lambda t, url: application_data(contact_email=unique_email("apply")),
    ),
    Row("members:apply_thanks", "GET", "/apply/thanks/", everyone(200)),
    Row("members:application_edit", "GET", returned_application_url, everyone(200)),
    Row(
        "members:application_edit",
        "POST",
        returned_application_url,
        everyone(302),
        data=resubmission,
    ),
    Row("members:application_edit", "GET", "/apply/not-a-token/edit/", everyone(404)),
    Row(
        "set_language",
        "POST",
        "/i18n/setlang/",
        everyone(302),
        data={"language": "ja", "next": "/"},
    ),
    # Accounts.
    Row("accounts:login", "GET", "/accounts/login/", (200, 302, 302, 302, 302)),
    Row(
        "accounts:login",
        "POST",
        "/accounts/login/",
        (200, 302, 302, 302, 302),
        data={"username": "nobody@example.jp", "password": "wrong-password"},
    ),
    Row(
        "accounts:logout",
        "POST",
        "/accounts/logout/",
        everyone(302),
        note="signing out after the session expired must not ask to sign in first",
    ),
    Row("accounts:logout", "GET", "/accounts/logout/", everyone(405)),
    Row(
        "accounts:invitation",
        "GET",
        invitation_url,
        everyone(302),
        note="a valid link swaps its token for the session",
    ),
    Row(
        "accounts:invitation",
        "GET",
        "/accounts/invitation/MQ/bad-token/",
        everyone(200),
        note="the invalid-link page",
    ),
    Row("accounts:invitation_done", "GET", "/accounts/invitation/done/", everyone(200)),
    Row("accounts:password_reset", "GET", "/accounts/password-reset/", everyone(200)),
    Row(
        "accounts:password_reset",
        "POST",
        "/accounts/password-reset/",
        everyone(302),
        data={"email": "staff@example.jp"},
    ),
    Row("accounts:password_reset_sent", "GET", "/accounts/password-reset/sent/", everyone(200)),
    Row("accounts:user_list", "GET", "/accounts/users/", SECRETARIAT_PAGE),
    Row("accounts:user_detail", "GET", account_url(), SECRETARIAT_PAGE),
    Row(
        "accounts:user_detail",
        "POST",
        account_url(),
        SECRETARIAT_POST,
        data={"role": "municipality", "municipality": "142042"},
    ),
    Row(
        "accounts:capacity_remove",
        "POST",
        account_url("capacities/remove/"),
        SECRETARIAT_POST,
        data=lambda t, url: {"role": "member", "target": str(t.organization.pk)},
    ),
    Row(
        "accounts:user_list",
        "POST",
        "/accounts/users/",
        SECRETARIAT_POST,
        data=lambda t, url: {
            "email": unique_email("invite"),
            "full_name": "新しい人",
            "role": "municipality",
            "municipality": "142042",
        },
    ),
    # Signed-in pages.
    Row("core:dashboard", "GET", "/my/", SIGNED_IN),
    Row("members:my_organization", "GET", "/my/organization/", (LOGIN, 200, 200, 403, 403)),
    Row(
        "members:my_organization",
        "POST",
        "/my/organization/",
        (LOGIN, 302, 302, 403, 403),
        data=unchanged_form,
    ),
    # The secretariat.
    Row("members:application_list", "GET", "/secretariat/applications/", SECRETARIAT_PAGE),
    Row(
        "members:application_list", "GET", "/secretariat/applications/?status=all", SECRETARIAT_PAGE
    ),
    Row("members:application_detail", "GET", application_url, SECRETARIAT_PAGE),
    Row(
        "members:application_detail",
        "GET",
        "/secretariat/applications/999999/",
        (LOGIN, 403, 403, 403, 404),
    ),
    Row(
        "members:application_action",
        "POST",
        action_url("review"),
        SECRETARIAT_POST,
        data={"reason": ""},
    ),
    Row(
        "members:application_action",
        "POST",
        action_url("approve"),
        SECRETARIAT_POST,
        data={"reason": ""},
    ),
    Row(
        "members:application_action",
        "POST",
        action_url("return"),
        SECRETARIAT_POST,
        data={"reason": "活動地域を確認してください。"},
    ),
    Row(
        "members:application_action",
        "POST",
        action_url("decline"),
        SECRETARIAT_POST,
        data={"reason": "趣旨に合わないため。"},
    ),
    Row(
        "members:application_action",
        "POST",
        action_url("delete"),
        (LOGIN, 403, 403, 403, 404),
        data={"reason": ""},
    ),
    Row("members:application_action", "GET", action_url("review"), (LOGIN, 405, 405, 405, 405)),
    Row("members:organization_list", "GET", "/secretariat/organizations/", SECRETARIAT_PAGE),
    Row("members:organization_admin_edit", "GET", admin_edit_url, SECRETARIAT_PAGE),
    Row(
        "members:organization_admin_edit",
        "POST",
        admin_edit_url,
        SECRETARIAT_POST,
        data=unchanged_form,
    ),
    Row("members:roster_csv", "GET", "/secretariat/roster.csv", SECRETARIAT_PAGE),
    Row(
        "members:roster_xlsx", "GET", "/secretariat/roster.xlsx?as_of=2025-07-30", SECRETARIAT_PAGE
    ),
    Row("audit:audit_log", "GET", "/secretariat/audit/", SECRETARIAT_PAGE),
    Row("audit:audit_log", "GET", "/secretariat/audit/?action=view", SECRETARIAT_PAGE),
    Row("core:undelivered_mail", "GET", "/secretariat/mail/", SECRETARIAT_PAGE),
    Row("core:resend_mail", "POST", undelivered_mail_url, SECRETARIAT_POST),
    # The directory: public pages (keep this block for directory:* routes).
    Row("directory:search", "GET", "/resources/", everyone(200)),
    Row(
        "directory:search",
        "GET",
        "/resources/?q=子ども食堂&municipality=141003&kind=food&day=6&free=on&lang=ja",
        everyone(200),
    ),
    Row(
        "directory:search",
        "GET",
        "/resources/?day=9&municipality=999999&lat=north&page=x",
        everyone(200),
        note="bad filter values are reported on the page, not a 500",
    ),
    Row(
        "directory:search",
        "GET",
        "/resources/?lat=35.34&lon=139.49",
        everyone(200),
        note="near me",
    ),
    Row("directory:print", "GET", "/resources/print/?kind=ibasho", everyone(200)),
    Row(
        "directory:detail",
        "GET",
        lambda t: f"/resources/{make_resource(organization=t.organization).pk}/",
        everyone(200),
    ),
    Row(
        "directory:detail",
        "GET",
        lambda t: f"/resources/{make_resource(organization=t.organization, status='draft').pk}/",
        (404, 200, 404, 404, 200),
        note="an unpublished resource is its owner's and the secretariat's only",
    ),
    Row("directory:detail", "GET", "/resources/999999/", everyone(404)),
    Row("directory:consult", "GET", "/consult/", everyone(200)),
    Row("directory:consult", "GET", "/consult/?concern=kokoro&municipality=142051", everyone(200)),
    Row("directory:consult", "GET", "/consult/?concern=nothing", everyone(200)),
    # The directory: staff and secretariat pages.
    Row("directory:manage_resource_list", "GET", "/manage/resources/", STAFF_PAGE),
    Row(
        "directory:manage_resource_list",
        "GET",
        "/manage/resources/?status=draft&stale=on&q=salon&organization=x",
        STAFF_PAGE,
        note="the secretariat's filters; staff see their own list",
    ),
    Row("directory:manage_resource_new", "GET", "/manage/resources/new/", STAFF_PAGE),
    Row(
        "directory:manage_resource_new",
        "POST",
        "/manage/resources/new/",
        (LOGIN, 302, 302, 403, 302),
        data=lambda t, url: new_resource_data(organization=str(t.organization.pk)),
        note="staff create for their own organisation, the secretariat for the one chosen",
    ),
    Row("directory:manage_resource_edit", "GET", own_resource_url("edit"), OWNER_PAGE),
    Row(
        "directory:manage_resource_edit",
        "POST",
        own_resource_url("edit"),
        OWNER_POST,
        data=resource_posted_back,
    ),
    Row(
        "directory:manage_resource_edit",
        "GET",
        "/manage/resources/999999/edit/",
        (LOGIN, 404, 404, 404, 404),
    ),
    Row("directory:manage_resource_verify", "POST", own_resource_url("verify"), OWNER_POST),
    Row(
        "directory:manage_resource_verify",
        "GET",
        own_resource_url("verify"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row("directory:manage_resource_delete", "GET", own_resource_url("delete"), OWNER_PAGE),
    Row("directory:manage_resource_delete", "POST", own_resource_url("delete"), OWNER_POST),
    Row(
        "directory:manage_resource_unpublish",
        "GET",
        own_resource_url("unpublish"),
        SECRETARIAT_PAGE,
    ),
    Row(
        "directory:manage_resource_unpublish",
        "POST",
        own_resource_url("unpublish"),
        SECRETARIAT_POST,
        data={"reason": "開催実態を確認中のため"},
    ),
    Row(
        "directory:manage_resource_republish",
        "POST",
        own_resource_url("republish", status="unpublished"),
        SECRETARIAT_POST,
    ),
    Row("directory:manage_resource_history", "GET", own_resource_url("history"), OWNER_PAGE),
    Row("directory:manage_taxonomy_index", "GET", "/manage/taxonomies/", SECRETARIAT_PAGE),
    Row("directory:manage_term_list", "GET", "/manage/taxonomies/kinds/", SECRETARIAT_PAGE),
    Row(
        "directory:manage_term_list",
        "GET",
        "/manage/taxonomies/colours/",
        (LOGIN, 403, 403, 403, 404),
    ),
    Row("directory:manage_term_new", "GET", "/manage/taxonomies/targets/new/", SECRETARIAT_PAGE),
    Row(
        "directory:manage_term_new",
        "POST",
        "/manage/taxonomies/concerns/new/",
        SECRETARIAT_POST,
        data=lambda t, url: {
            "slug": f"term-{next(_serial)}",
            "name": "新しい分野",
            "sort_order": "1",
        },
    ),
    Row("directory:manage_term_edit", "GET", term_edit_url, SECRETARIAT_PAGE),
    Row(
        "directory:manage_term_edit",
        "POST",
        term_edit_url,
        SECRETARIAT_POST,
        data={"name": "車いすで利用できる", "sort_order": "10", "is_active": "on"},
    ),
    # Officers look after the resources of their area: confirm or flag, never edit.
    Row("directory:area_resources", "GET", "/manage/area/resources/", AREA_PAGE),
    Row(
        "directory:area_resources",
        "GET",
        "/manage/area/resources/?municipality=142051&kind=ibasho&stale=on&page=x",
        AREA_PAGE,
    ),
    Row("directory:area_resource_verify", "POST", area_resource_url("verify"), AREA_POST),
    Row(
        "directory:area_resource_verify",
        "POST",
        area_resource_url("verify", municipality="141003"),
        NOT_MY_AREA,
    ),
    Row(
        "directory:area_resource_verify",
        "GET",
        area_resource_url("verify"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row("directory:area_resource_flag", "GET", area_resource_url("flag"), AREA_PAGE),
    Row("directory:area_resource_flag", "POST", area_resource_url("flag"), AREA_POST, flag_posted),
    Row(
        "directory:area_resource_flag",
        "POST",
        area_resource_url("flag", municipality="141003"),
        NOT_MY_AREA,
        flag_posted,
    ),
    Row("directory:manage_report_list", "GET", "/manage/reports/", STAFF_PAGE),
    Row("directory:manage_report_list", "GET", "/manage/reports/?status=all", STAFF_PAGE),
    Row("directory:manage_report_close", "POST", report_close_url("resolve"), OWNER_POST),
    Row("directory:manage_report_close", "POST", report_close_url("dismiss"), OWNER_POST),
    Row(
        "directory:manage_report_close",
        "GET",
        report_close_url("resolve"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row("directory:report", "GET", public_resource_url("report/"), everyone(200)),
    Row(
        "directory:report",
        "POST",
        public_resource_url("report/"),
        everyone(302),
        data=report_posted,
    ),
    Row(
        "directory:report",
        "GET",
        lambda t: f"/resources/{make_resource(status='draft').pk}/report/",
        everyone(404),
        note="only published resources take reports",
    ),
    Row("directory:report_thanks", "GET", public_resource_url("report/thanks/"), everyone(200)),
    # The directory: open data and imports.
    Row(
        "directory:resource_import", "GET", "/manage/resources/import/", (LOGIN, 200, 200, 403, 200)
    ),
    Row(
        "directory:resource_import",
        "POST",
        "/manage/resources/import/",
        (LOGIN, 200, 200, 403, 200),
        data=import_upload,
        note="the preview: staff for their own organisation, the secretariat for the one chosen",
    ),
    Row(
        "directory:resource_import_template",
        "GET",
        "/manage/resources/import/template.csv",
        (LOGIN, 200, 200, 403, 200),
    ),
    Row("directory:opendata", "GET", "/opendata/", everyone(200)),
    Row("directory:events_csv", "GET", "/opendata/events.csv", everyone(200)),
    Row(
        "directory:ical_organization",
        "GET",
        lambda t: f"/opendata/ical/organization/{t.organization.pk}.ics",
        everyone(200),
    ),
    Row(
        "directory:ical_organization",
        "GET",
        "/opendata/ical/organization/999999.ics",
        everyone(404),
    ),
    Row(
        "directory:ical_municipality",
        "GET",
        "/opendata/ical/municipality/141003.ics",
        everyone(200),
    ),
    Row(
        "directory:ical_municipality",
        "GET",
        "/opendata/ical/municipality/140007.ics",
        everyone(404),
    ),
    Row("directory:ical_kind", "GET", "/opendata/ical/kind/event.ics", everyone(200)),
    Row("directory:ical_kind", "GET", "/opendata/ical/kind/nothing.ics", everyone(404)),
    Row("api-v1:hsds_root", "GET", "/api/v1/hsds/", everyone(200)),
    Row("api-v1:hsds_services", "GET", "/api/v1/hsds/services", everyone(200)),
    Row("api-v1:hsds_services", "GET", "/api/v1/hsds/services?page=0", everyone(422)),
    Row("api-v1:hsds_service", "GET", hsds_service_url, everyone(200)),
    Row("api-v1:hsds_service", "GET", "/api/v1/hsds/services/unknown", everyone(404)),
    Row("api-v1:hsds_organizations", "GET", "/api/v1/hsds/organizations", everyone(200)),
    Row("api-v1:hsds_organization", "GET", hsds_organization_url, everyone(200)),
    Row("api-v1:hsds_taxonomies", "GET", "/api/v1/hsds/taxonomies", everyone(200)),
    Row("api-v1:hsds_taxonomy", "GET", hsds_taxonomy_url, everyone(200)),
    Row("api-v1:hsds_taxonomy_terms", "GET", "/api/v1/hsds/taxonomy_terms", everyone(200)),
    Row("api-v1:hsds_taxonomy_term", "GET", hsds_taxonomy_term_url, everyone(200)),
    Row("api-v1:hsds_services", "POST", "/api/v1/hsds/services", everyone(405)),
    # The directory's JSON API (search helper).
    Row("api-v1:list_services", "GET", "/api/v1/services?q=子ども食堂&day=6", everyone(200)),
    Row("api-v1:list_services", "GET", "/api/v1/services?day=9&page=0", everyone(422)),
    Row("api-v1:list_services", "POST", "/api/v1/services", everyone(405)),
    Row(
        "api-v1:get_service",
        "GET",
        lambda t: f"/api/v1/services/{make_resource(organization=t.organization).pk}",
        everyone(200),
    ),
    Row(
        "api-v1:get_service",
        "GET",
        lambda t: f"/api/v1/services/{make_resource(status='draft').pk}",
        everyone(404),
        note="unpublished resources are not in the public API, even for their owner",
    ),
    # Matching: needs and suggestions.
    Row("matching:need_list", "GET", "/needs/", SIGNED_IN),
    Row(
        "matching:need_list",
        "GET",
        "/needs/?municipality=141003&target=kosodate&kind=ibasho&urgency=high&status=all",
        SIGNED_IN,
    ),
    Row("matching:need_new", "GET", "/needs/new/", (LOGIN, 200, 200, 200, 200)),
    Row(
        "matching:need_new",
        "POST",
        "/needs/new/",
        (LOGIN, 302, 302, 302, 302),
        data=need_posted_as_officer,
        note="staff post for their organisation, the secretariat for the network, "
        "an officer for their municipality",
    ),
    Row("matching:needs_waiting", "GET", "/needs/waiting/", (LOGIN, 200, 200, 403, 403)),
    Row("matching:need_detail", "GET", need_url(), SIGNED_IN),
    Row(
        "matching:need_detail",
        "GET",
        need_url(status="withdrawn"),
        (LOGIN, 200, 404, 404, 200),
        note="a withdrawn need is only its owner's",
    ),
    Row("matching:need_detail", "GET", "/needs/999999/", (LOGIN, 404, 404, 404, 404)),
    Row("matching:need_edit", "GET", need_url("edit/"), OWNER_PAGE),
    Row("matching:need_edit", "POST", need_url("edit/"), OWNER_POST, data=need_posted),
    Row("matching:need_refresh", "POST", need_url("refresh/"), OWNER_POST),
    Row("matching:need_refresh", "GET", need_url("refresh/"), (LOGIN, 405, 405, 405, 405)),
    Row("matching:need_status", "POST", need_url("status/met/"), OWNER_POST),
    Row("matching:need_status", "POST", need_url("status/withdraw/"), OWNER_POST),
    Row("matching:need_status", "GET", need_url("status/close/"), (LOGIN, 405, 405, 405, 405)),
    # A need a municipality posted: its officers (and the secretariat) change it.
    Row("matching:need_edit", "GET", municipality_need_url("edit/"), (LOGIN, 403, 403, 200, 200)),
    Row(
        "matching:need_edit",
        "POST",
        municipality_need_url("edit/"),
        (LOGIN, 403, 403, 302, 302),
        data=need_posted,
    ),
    Row(
        "matching:need_edit",
        "GET",
        municipality_need_url("edit/", municipality="141003"),
        (LOGIN, 403, 403, 403, 200),
    ),
    Row(
        "matching:need_status",
        "POST",
        municipality_need_url("status/close/"),
        (LOGIN, 403, 403, 302, 302),
    ),
    Row(
        "matching:need_status",
        "POST",
        municipality_need_url("status/close/", municipality="141003"),
        (LOGIN, 403, 403, 403, 302),
    ),
    Row("matching:suggestion_state", "POST", suggestion_url("bookmark"), OWNER_POST),
    Row("matching:suggestion_state", "POST", suggestion_url("dismiss"), OWNER_POST),
    Row(
        "matching:suggestion_state", "GET", suggestion_url("bookmark"), (LOGIN, 405, 405, 405, 405)
    ),
    # Matching: resident requests and screening.
    Row("matching:voice", "GET", "/voice/", everyone(200)),
    Row(
        "matching:voice",
        "POST",
        "/voice/",
        everyone(302),
        data=voice_posted,
        note="anonymous; a signed-in person's account is not linked",
    ),
    Row("matching:voice_thanks", "GET", "/voice/thanks/", everyone(200)),
    Row("matching:voice_list", "GET", "/secretariat/voices/", SECRETARIAT_PAGE),
    Row("matching:voice_list", "GET", "/secretariat/voices/?status=all&page=x", SECRETARIAT_PAGE),
    Row(
        "matching:voice_detail",
        "GET",
        voice_url(),
        SECRETARIAT_PAGE,
        note="the original text and contact: never members or officers",
    ),
    Row(
        "matching:voice_detail",
        "GET",
        "/secretariat/voices/999999/",
        (LOGIN, 403, 403, 403, 404),
    ),
    Row("matching:voice_publish", "POST", voice_url("publish/"), SECRETARIAT_POST, voice_published),
    Row("matching:voice_publish", "GET", voice_url("publish/"), (LOGIN, 405, 405, 405, 405)),
    Row(
        "matching:voice_reject",
        "POST",
        voice_url("reject/"),
        SECRETARIAT_POST,
        data={"note": "相談窓口につなぐ内容"},
    ),
    Row("matching:voice_forget_contact", "POST", voice_url("forget-contact/"), SECRETARIAT_POST),
    # Officers screen the voices of their municipality (and its wards).
    Row("matching:area_voices", "GET", "/manage/area/voices/", AREA_PAGE),
    Row(
        "matching:area_voices",
        "GET",
        "/manage/area/voices/?municipality=142051&status=all&page=x",
        AREA_PAGE,
    ),
    Row("matching:area_voice_detail", "GET", area_voice_url(), AREA_PAGE),
    Row(
        "matching:area_voice_detail",
        "GET",
        area_voice_url(municipality="141003"),
        NOT_MY_AREA,
        note="another municipality's voice: 403, and no view is recorded",
    ),
    Row(
        "matching:area_voice_detail",
        "GET",
        "/manage/area/voices/999999/",
        (LOGIN, 403, 403, 404, 403),
    ),
    Row(
        "matching:area_voice_publish",
        "POST",
        area_voice_url("publish/"),
        AREA_POST,
        voice_published,
    ),
    Row(
        "matching:area_voice_publish",
        "POST",
        area_voice_url("publish/", municipality="141003"),
        NOT_MY_AREA,
        voice_published,
    ),
    Row(
        "matching:area_voice_publish",
        "GET",
        area_voice_url("publish/"),
        (LOGIN, 405, 405, 405, 405),
    ),
    Row("matching:area_voice_reject", "POST", area_voice_url("reject/"), AREA_POST, voice_rejected),
    Row(
        "matching:area_voice_reject",
        "POST",
        area_voice_url("reject/", municipality="141003"),
        NOT_MY_AREA,
        voice_rejected,
    ),
    # Matching: gap view.
    Row("matching:gap_view", "GET", "/gaps/", GAP_PAGE),
    Row("matching:gap_view", "GET", "/gaps/?area=all", GAP_PAGE),
    Row("matching:gap_csv", "GET", "/gaps.csv", GAP_PAGE),
    # The public API.
    Row("api-v1:list_organizations", "GET", "/api/v1/organizations", everyone(200)),
    Row("api-v1:list_municipalities", "GET", "/api/v1/municipalities", everyone(200)),
    Row("api-v1:openapi-json", "GET", "/api/v1/openapi.json", everyone(200)),
    Row("api-v1:openapi-view", "GET", "/api/v1/docs", everyone(200)),
    Row("api-v1:api-root", "GET", "/api/v1/", everyone(404)),
    Row("api/v1/<path:rest>", "GET", "/api/v1/xyz", everyone(404)),
    Row("api-v1:list_organizations", "POST", "/api/v1/organizations", everyone(405)),
]


# Surveys: each part keeps its rows in its own module (tsunagari/surveys/tests/access_*.py).
def _survey_rows() -> list[Row]:
    from tsunagari.surveys.tests import (
        access_campaigns,
        access_paper,
        access_results,
        access_selfcheck,
    )

    return [
        *access_selfcheck.ROWS,
        *access_results.ROWS,
        *access_campaigns.ROWS,
        *access_paper.ROWS,
    ]


ROWS.extend(_survey_rows())


def _helpline_rows() -> list[Row]:
    from tsunagari.helplines.tests import access_helplines

    return access_helplines.ROWS


ROWS.extend(_helpline_rows())


def _twofactor_rows() -> list[Row]:
    from tsunagari.twofactor.tests import access_twofactor

    return access_twofactor.ROWS


ROWS.extend(_twofactor_rows())


# Awareness (issue 13): courses, the May month, news and mailings, one module per app.
def _awareness_rows() -> list[Row]:
    from tsunagari.awareness.tests import access_awareness
    from tsunagari.news.tests import access_news
    from tsunagari.supporters.tests import access_supporters

    return [*access_supporters.ROWS, *access_awareness.ROWS, *access_news.ROWS]


ROWS.extend(_awareness_rows())


def _collaboration_rows() -> list[Row]:
    from tsunagari.collaborations.tests import access_collaborations

    return access_collaborations.ROWS


ROWS.extend(_collaboration_rows())


# 協議の場 (issue 14): meetings, working groups, local councils, the network graph.
def _meeting_place_rows() -> list[Row]:
    from tsunagari.councils.tests import access_councils
    from tsunagari.groups.tests import access_groups
    from tsunagari.meetings.tests import access_meetings
    from tsunagari.network.tests import access_network

    return [
        *access_meetings.ROWS,
        *access_groups.ROWS,
        *access_councils.ROWS,
        *access_network.ROWS,
    ]


ROWS.extend(_meeting_place_rows())


# Model cases and the roll-out (issue 15).
def _rollout_rows() -> list[Row]:
    from tsunagari.cases.tests import access_adoption, access_cases
    from tsunagari.rollout.tests import access_networks, access_rollout

    return [
        *access_cases.ROWS,
        *access_adoption.ROWS,
        *access_rollout.ROWS,
        *access_networks.ROWS,
    ]


ROWS.extend(_rollout_rows())


# 可視化 (issue 16).
def _insights_rows() -> list[Row]:
    from tsunagari.insights.tests import access_insights

    return access_insights.ROWS


ROWS.extend(_insights_rows())


def routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[str]:
    """Every route of the project: its namespaced name, or its pattern without a name."""
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from routes(p.url_patterns, prefix + str(p.pattern), inner)
        elif p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name
        else:
            yield prefix + str(p.pattern)


class AccessMatrixTestCase(MultiRoleTestCase):
    def test_every_route_is_in_the_matrix(self) -> None:
        project = set(routes(get_resolver().url_patterns))
        matrix = {row.route for row in ROWS}
        self.assertEqual(project - matrix, set(), "routes without a row in the access matrix")
        self.assertEqual(matrix - project, set(), "rows for routes that do not exist")

    def setUp(self) -> None:
        super().setUp()
        from unittest import mock

        from tsunagari.lib.ratelimit import RateLimit

        # The matrix asks who may, not how often: every persona posts the same public
        # forms from one address, which their rate limits (tested with each form) would stop.
        self.enterContext(mock.patch.object(RateLimit, "exceeded", return_value=False))

    def test_every_row_names_the_route_its_url_resolves_to(self) -> None:
        from django.urls import resolve

        for row in ROWS:
            url = row.url(self) if callable(row.url) else row.url
            with self.subTest(route=row.route, url=url):
                match = resolve(url.split("?")[0])
                self.assertEqual(match.view_name if match.url_name else match.route, row.route)

    def test_the_matrix(self) -> None:
        for row in ROWS:
            for persona, expected in zip(PERSONAS, row.expect, strict=True):
                url = row.url(self) if callable(row.url) else row.url
                with self.subTest(persona=persona, method=row.method, url=url, note=row.note):
                    self.check_cell(persona, row, url, expected)

    def test_the_matrix_for_people_with_several_capacities(self) -> None:
        organization_of = {"staff": self.organization, "other_staff": self.other_organization}
        for row in ROWS:
            by_persona = dict(zip(PERSONAS, row.expect, strict=True))
            for persona, parts in MULTI_ROLE.items():
                winner, expected = most_permissive({p: by_persona[p] for p in parts})
                url = row.url(self) if callable(row.url) else row.url
                with self.subTest(persona=persona, method=row.method, url=url, as_=winner):
                    self.check_cell(persona, row, url, expected, organization_of.get(winner))

    def check_cell(
        self,
        persona: str,
        row: Row,
        url: str,
        expected: int | str,
        acting_for: Organization | None = None,
    ) -> None:
        client = Client()
        if persona != "anonymous":
            sign_in(client, getattr(self, persona))
        if row.method == "GET":
            r = client.get(url)
        else:
            data = row.data(self, url) if callable(row.data) else (row.data or {})
            if acting_for is not None:
                # 「どの立場で」, asked only of someone with several organisations.
                data = {**data, "acting_for": str(acting_for.pk)}
            r = client.post(url, data)
        if expected == LOGIN:
            self.assertEqual(r.status_code, 302)
            self.assertEqual(r["Location"], f"/accounts/login/?next={quote(url, safe='/')}")
            return
        self.assertEqual(r.status_code, expected, getattr(r, "content", b"")[:300])
        if expected == 302:
            self.assertFalse(r["Location"].startswith("/accounts/login/"), r["Location"])
            # Success, not a redirect back with an error message.
            landing = client.get(r["Location"])
            self.assertNotContains(landing, "message-error", status_code=landing.status_code)

    def test_an_allowed_post_redirects_because_it_succeeded(self) -> None:
        """A 302 in the matrix is not an error page in disguise: the staff's edit saved."""
        client = Client()
        sign_in(client, self.staff)
        data = unchanged_form(self, "/my/organization/")
        data["description"] = "マトリクスから保存しました。"
        self.assertEqual(client.post("/my/organization/", data).status_code, 302)
        self.organization.refresh_from_db()
        self.assertEqual(self.organization.description, "マトリクスから保存しました。")

    def test_a_persona_can_really_sign_in(self) -> None:
        """The personas are real accounts, not only force_login sessions."""
        r = Client().post(
            "/accounts/login/", {"username": "staff@example.jp", "password": PASSWORD}
        )
        self.assertRedirects(r, "/my/", fetch_redirect_response=False)

"""Logins for cadres: invited from the cadre's page, the plan page (in bulk) and the cadre import; the
one-time, three-day link; the login state in words; re-sending; the create_login command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from assignments.models import Assignment, AssignmentPlan, Cadre
from cells.access.roles import Role, user_role
from tests.cells.logins.helpers import NEW_PASSWORD, last_link_to, link_in, set_password
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(fn)``: run fn and then its on-commit callbacks (the invitation task is enqueued there)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def hoa(tree):
    return CadreFactory(
        code="CB01", full_name="Nguyễn Thị Hoa", email="Hoa.Nguyen@hocmon.vn", organization=tree.root
    )


def invite(client, committed, cadre):
    url = reverse("assignments:cadre_invite", args=[cadre.code])
    return committed(lambda: client.post(url, follow=True))


def page_of(client, cadre) -> str:
    return client.get(reverse("assignments:cadre_detail", args=[cadre.code])).content.decode()


# --- From the cadre's page --------------------------------------------------------------------------------
def test_staff_invite_a_cadre_who_sets_a_password_and_lands_signed_in(client, staff, hoa, committed):
    client.force_login(staff)
    assert "Chưa có tài khoản" in page_of(client, hoa)
    assert "Tạo tài khoản và gửi thư mời" in page_of(client, hoa)
    with freeze_time(START):
        response = invite(client, committed, hoa)
    assert "Đã gửi thư mời đến Hoa.Nguyen@hocmon.vn." in response.content.decode()
    hoa.refresh_from_db()
    user = hoa.user
    assert user.username == "hoa.nguyen@hocmon.vn" and user.email == "Hoa.Nguyen@hocmon.vn"
    assert user_role(user) == Role.CADRE and user.profile.scope == hoa.organization
    assert not user.has_usable_password() and user.get_full_name() == "Nguyễn Thị Hoa"
    assert "Đã mời ngày 04/05/2026, chưa đăng nhập" in page_of(client, hoa)

    [message] = mail.outbox
    assert message.to == ["Hoa.Nguyen@hocmon.vn"]
    assert message.subject == "Tài khoản của đồng chí trên hệ thống dự sinh hoạt chi bộ"
    assert "Kính gửi đồng chí Nguyễn Thị Hoa," in message.body
    assert "Tên đăng nhập của đồng chí: hoa.nguyen@hocmon.vn" in message.body
    assert "có hiệu lực trong 3 ngày và chỉ dùng được một lần" in message.body

    client.logout()
    with freeze_time(START + datetime.timedelta(days=1)):
        done = set_password(client, link_in(message))
        assert client.session[SESSION_KEY] == str(user.pk)
    assert done.redirect_chain[-1][0] == reverse("assignments:my_visits")
    page = done.content.decode()
    assert "Đã đặt mật khẩu, đồng chí đã đăng nhập." in page and "Nguyễn Thị Hoa" in page

    client.force_login(staff)
    assert "Đang hoạt động, đăng nhập lần cuối 05/05/2026 16:00" in page_of(client, hoa)
    assert "Gửi lại thư mời" not in page_of(client, hoa)


def test_the_invitation_link_works_once(client, staff, hoa, committed):
    client.force_login(staff)
    invite(client, committed, hoa)
    link = last_link_to(hoa.email)
    client.logout()
    set_password(client, link)
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Đường dẫn này không còn hiệu lực: đã hết hạn hoặc đã được sử dụng." in again
    response = client.post(reverse("login"), {"username": "hoa.nguyen@hocmon.vn", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_the_invitation_link_expires_after_three_days_and_a_new_one_can_be_sent(
    client, staff, hoa, committed
):
    client.force_login(staff)
    with freeze_time(START):
        invite(client, committed, hoa)
    link = last_link_to(hoa.email)
    client.logout()
    with freeze_time(START + datetime.timedelta(days=3, minutes=1)):
        page = client.get(link, follow=True).content.decode()
        assert "Đường dẫn này không còn hiệu lực" in page
        client.force_login(staff)
        assert "Gửi lại thư mời" in page_of(client, hoa)
        resend = reverse("cells:login_resend", args=[Cadre.objects.get(pk=hoa.pk).user_id])
        response = committed(lambda: client.post(resend, {"next": hoa.get_absolute_url()}, follow=True))
        assert "Đã gửi lại thư mời đến Hoa.Nguyen@hocmon.vn." in response.content.decode()
        assert response.redirect_chain[-1][0] == hoa.get_absolute_url()
        fresh = last_link_to(hoa.email)
        client.logout()
        assert fresh != link
        done = set_password(client, fresh)
    assert "Đã đặt mật khẩu" in done.content.decode()


def test_a_cadre_without_an_email_or_with_a_login_is_not_invited(client, staff, tree, cadre_user, committed):
    no_email = CadreFactory(code="CB02", full_name="Trần Văn Hùng", email="", organization=tree.root)
    client.force_login(staff)
    page = page_of(client, no_email)
    assert "Chưa thể mời: chưa có địa chỉ thư điện tử." in page
    assert "Tạo tài khoản và gửi thư mời" not in page
    response = invite(client, committed, no_email)
    assert "Không thể mời Trần Văn Hùng: chưa có địa chỉ thư điện tử." in response.content.decode()
    with_login = cadre_user.cadre
    response = invite(client, committed, with_login)
    assert "đã có tài khoản" in response.content.decode()
    assert mail.outbox == [] and get_user_model().objects.count() == 2


def test_the_login_state_says_deactivated(client, staff, cadre_user):
    cadre_user.is_active = False
    cadre_user.save(update_fields=["is_active"])
    client.force_login(staff)
    page = page_of(client, cadre_user.cadre)
    assert "Đã khóa" in page
    cadre_url = cadre_user.cadre.get_absolute_url()
    reactivate = f"{reverse('cells:login_reactivate', args=[cadre_user.pk])}?next={cadre_url}"
    assert f'href="{reactivate}"' in page
    confirm = client.get(reactivate).content.decode()
    assert f'href="{cadre_url}"' in confirm and "Mở lại tài khoản cadre (Cadre)?" in confirm
    response = client.post(reactivate, {"next": cadre_url}, follow=True)
    assert response.redirect_chain[-1][0] == cadre_url
    assert "Đã mở lại tài khoản cadre." in response.content.decode()
    assert "Tạo ngày" in response.content.decode()


def test_the_task_sends_nothing_once_the_password_is_set(client, staff, hoa, committed):
    """A re-send queued before the cadre set the password is dropped by the task."""
    from cells.logins.tasks import send_login_invitation

    client.force_login(staff)
    invite(client, committed, hoa)
    hoa.refresh_from_db()
    hoa.user.set_password(NEW_PASSWORD)
    hoa.user.save()
    send_login_invitation.delay(hoa.user_id)
    assert len(mail.outbox) == 1


# --- From the plan page, in bulk ----------------------------------------------------------------------------
@pytest.fixture
def plan_with_cadres(tree, cadre_user):
    plan = AssignmentPlan.objects.create(root=tree.root, year=2026, issuer_abbreviation="HU")
    cadres = [
        CadreFactory(code="CB01", full_name="An", email="an@hocmon.vn", organization=tree.root),
        CadreFactory(code="CB02", full_name="Bình", email="", organization=tree.root),
        CadreFactory(code="CB03", full_name="Chi", email="chi@hocmon.vn", organization=tree.root),
        cadre_user.cadre,
    ]
    for cadre in cadres:
        Assignment.objects.create(plan=plan, cadre=cadre, cell=tree.cell)
    CadreFactory(code="CB09", full_name="Ngoài kế hoạch", email="ngoai@hocmon.vn", organization=tree.root)
    return plan


def test_the_plan_page_invites_the_ticked_cadres_and_reports_the_skipped(
    client, staff, plan_with_cadres, committed
):
    client.force_login(staff)
    plan_page = client.get(plan_with_cadres.get_absolute_url()).content.decode()
    url = reverse("assignments:plan_invite", args=[plan_with_cadres.pk])
    assert f'href="{url}"' in plan_page and "Tài khoản cán bộ" in plan_page
    page = client.get(url).content.decode()
    assert "Chọn tất cả trên trang này" in page
    assert "Ngoài kế hoạch" not in page  # only the plan's cadres
    ids = {cadre.code: str(cadre.pk) for cadre in Cadre.objects.all()}
    response = committed(
        lambda: client.post(url, {"cadre": [ids["CB01"], ids["CB02"], ids["CAD1"], ids["CB09"]]}, follow=True)
    )
    text = response.content.decode()
    assert "Đã mời: 1." in text
    assert "Bỏ qua 2: Bình (chưa có địa chỉ thư điện tử); Lê Văn Cán (đã có tài khoản)." in text
    assert [message.to for message in mail.outbox] == [["an@hocmon.vn"]]
    assert Cadre.objects.get(code="CB09").user is None  # not the plan's: ignored
    assert Cadre.objects.get(code="CB03").user is None  # not ticked


def test_the_plan_page_invites_everyone_on_the_page_without_javascript(
    client, staff, plan_with_cadres, committed
):
    client.force_login(staff)
    url = reverse("assignments:plan_invite", args=[plan_with_cadres.pk])
    page = client.get(url).content.decode()
    on_page = [cadre.pk for cadre in Cadre.objects.exclude(code="CB09")]
    for pk in on_page:
        assert f'name="on_page" value="{pk}"' in page
    response = committed(lambda: client.post(url, {"on_page": on_page, "all_on_page": "1"}, follow=True))
    assert "Đã mời: 2." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["an@hocmon.vn", "chi@hocmon.vn"]


@pytest.mark.parametrize("extra", [5, 120])
def test_the_plan_invite_page_is_paged_with_a_fixed_query_count(
    client, staff, tree, plan_with_cadres, extra, django_assert_max_num_queries
):
    for number in range(extra):
        cadre = CadreFactory(code=f"CX{number:03d}", organization=tree.root, email=f"cx{number}@hocmon.vn")
        Assignment.objects.create(plan=plan_with_cadres, cadre=cadre, cell=tree.cell2)
    client.force_login(staff)
    url = reverse("assignments:plan_invite", args=[plan_with_cadres.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count('name="cadre"') == min(extra + 4, 50)


# --- At import ----------------------------------------------------------------------------------------------
HEADER = "code,full_name,position,email,login\n"


def run_import(tmp_path, body: str) -> str:
    path = tmp_path / "cadres.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "cadres", str(path), "--root", "HU", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_cadre_import_creates_logins_for_the_rows_that_ask(tmp_path, tree, committed):
    body = (
        "CB01,Nguyễn Thị Hoa,committee,hoa@hocmon.vn,có\n"
        "CB02,Trần Văn Hùng,committee,hung@hocmon.vn,\n"
        "CB03,Lê Thị Lan,committee,lan@hocmon.vn,x\n"
        "CB04,Phạm Văn Minh,committee,minh@hocmon.vn,Không\n"
    )
    committed(lambda: run_import(tmp_path, body))
    with_login = set(Cadre.objects.filter(user__isnull=False).values_list("code", flat=True))
    assert with_login == {"CB01", "CB03"}
    assert sorted(message.to[0] for message in mail.outbox) == ["hoa@hocmon.vn", "lan@hocmon.vn"]
    # Importing the same file again changes nothing and invites nobody twice.
    committed(lambda: run_import(tmp_path, body))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("CB09,An,specialist,an@hocmon.vn,maybe", "row 3, column login: Login must be yes, có, x or 1"),
        ("CB09,An,specialist,,yes", "row 3, column login: A login needs an e-mail address."),
        (
            "CB09,An,specialist,OK@hocmon.vn,có",
            "row 3, column login: Row 2 already asks for a login with this e-mail address.",
        ),
    ],
    ids=["bad-value", "no-email", "same-email-twice"],
)
def test_a_bad_login_value_rejects_the_whole_file(tmp_path, tree, settings, row, expected):
    settings.LANGUAGE_CODE = "en"
    path = tmp_path / "cadres.csv"
    path.write_text(HEADER + "CB08,Hợp lệ,committee,ok@hocmon.vn,1\n" + row + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_data", "cadres", str(path), "--root", "HU", stdout=io.StringIO(), stderr=err)
    problems = err.getvalue().strip().splitlines()
    assert len(problems) == 1 and problems[0].startswith(expected)
    assert not Cadre.objects.exists() and mail.outbox == []


# --- The create_login command ---------------------------------------------------------------------------------
def create_login(*args: str) -> str:
    out = io.StringIO()
    call_command("create_login", *args, stdout=out)
    return out.getvalue()


def test_create_login_makes_the_first_staff_login_and_prints_its_link(client, tree, committed):
    out = committed(
        lambda: create_login(
            "--role", "staff", "--scope", "HU", "--email", "tochuc@hocmon.vn", "--name", "Võ Văn Tổ"
        )
    )
    user = get_user_model().objects.get(username="tochuc@hocmon.vn")
    assert user_role(user) == Role.ORGANIZATION_STAFF and user.profile.scope == tree.root
    assert "Login tochuc@hocmon.vn created (staff, HU)." in out
    printed = next(line for line in out.splitlines() if "/accounts/reset/" in line)
    assert [message.to for message in mail.outbox] == [["tochuc@hocmon.vn"]]
    from django.conf import settings

    done = set_password(client, printed.strip()[len(settings.SITE_URL) :])
    assert "Đã đặt mật khẩu" in done.content.decode()
    assert done.redirect_chain[-1][0] == reverse("home")


def test_create_login_for_a_cadre_links_the_cadre_with_that_email(tree, hoa, committed):
    committed(lambda: create_login("--role", "cadre", "--scope", "HU", "--email", "hoa.nguyen@hocmon.vn"))
    hoa.refresh_from_db()
    assert hoa.user is not None and user_role(hoa.user) == Role.CADRE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss", "--scope", "HU", "--email", "a@hocmon.vn"], "Unknown role 'boss'"),
        (["--role", "staff", "--scope", "NOPE", "--email", "a@hocmon.vn"], "No committee with code 'NOPE'."),
        (
            ["--role", "staff", "--scope", "XA-AP1", "--email", "a@hocmon.vn"],
            "No committee with code 'XA-AP1'.",
        ),
        (["--role", "cadre", "--scope", "HU", "--email", "nobody@hocmon.vn"], "No cadre of HU with e-mail"),
        (["--role", "staff", "--scope", "HU", "--email", "taken@hocmon.vn"], "already uses this e-mail"),
        (
            ["--role", "staff", "--scope", "HU", "--email", "b@hocmon.vn", "--username", "staff"],
            "already taken",
        ),
        (["--role", "staff", "--scope", "HU", "--email", "not-an-address"], "Not a valid e-mail address."),
    ],
    ids=[
        "bad-role",
        "unknown-scope",
        "cell-scope",
        "no-such-cadre",
        "duplicate-email",
        "duplicate-username",
        "bad-email",
    ],
)
def test_create_login_refuses_with_a_clear_line(tree, staff, settings, args, message):
    settings.LANGUAGE_CODE = "en"
    staff.email = "taken@hocmon.vn"
    staff.save(update_fields=["email"])
    before = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        create_login(*args)
    assert get_user_model().objects.count() == before


def test_dates_on_the_cadre_page_are_local_days(client, staff, hoa, committed):
    """Invited at 23:30 UTC is the next day in Hanoi: the page shows the local date."""
    client.force_login(staff)
    with freeze_time(datetime.datetime(2026, 5, 4, 23, 30, tzinfo=datetime.UTC)):
        invite(client, committed, hoa)
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    assert "Đã mời ngày 05/05/2026, chưa đăng nhập" in page_of(client, hoa)

"""Logins (cells/logins/views.py), invitations (assignments) and the password reset pages.

Only organization staff manage logins; another root's login, cadre or plan is 404; the invitation and
re-send actions are POST-only (405 to a GET by those who may see the object). The password reset pages
are public: every persona and anonymous visitors get 200.
"""

from django.contrib.auth import get_user_model

from tests.permissions import Case


def _expect(*, staff: int, outsider: int, others: int = 403, anonymous: int = 302) -> dict:
    return {
        "anonymous": anonymous,
        "staff": staff,
        "leader": others,
        "cadre": others,
        "other_cadre": others,
        "grassroots": others,
        "sibling_grassroots": others,
        "outsider": outsider,
    }


STAFF_PAGE = _expect(staff=200, outsider=200)
STAFF_OBJECT = _expect(staff=200, outsider=404)
POST_ON_OBJECT = _expect(staff=405, outsider=404)
PUBLIC = _expect(staff=200, outsider=200, others=200, anonymous=200)


def _grassroots_login(world) -> dict:
    return {"pk": get_user_model().objects.get(username="grassroots").pk}


def _cadre(world) -> dict:
    return {"code": world.cadre.code}


def _plan(world) -> dict:
    return {"pk": world.plan.pk}


def _stale_link(world) -> dict:
    return {"uidb64": "MQ", "token": "set-password-0123456789abcdef"}


CASES = [
    Case("cells:login_list", STAFF_PAGE),
    Case("cells:login_list", STAFF_PAGE, query="?q=grass&page=2"),
    Case("cells:login_create", STAFF_PAGE),
    Case("cells:login_deactivate", STAFF_OBJECT, kwargs=_grassroots_login),
    Case("cells:login_reactivate", STAFF_OBJECT, kwargs=_grassroots_login),
    Case("cells:login_resend", POST_ON_OBJECT, kwargs=_grassroots_login),
    Case("assignments:cadre_invite", POST_ON_OBJECT, kwargs=_cadre),
    Case("assignments:plan_invite", STAFF_OBJECT, kwargs=_plan),
    Case("password_reset", PUBLIC),
    Case("password_reset_done", PUBLIC),
    Case("password_reset_confirm", PUBLIC, kwargs=_stale_link),
]

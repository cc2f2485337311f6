from .navigation import nav_menu_for
from .roles import user_role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": [], "user_role": None}
    return {"nav_menu": nav_menu_for(user, request.path), "user_role": user_role(user)}

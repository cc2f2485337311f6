from .navigation import nav_items_for
from .roles import user_role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None}
    return {"nav_items": nav_items_for(user), "user_role": user_role(user)}

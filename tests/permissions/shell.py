from . import Case

CASES = [
    Case("home", {p: 200 for p in ("staff", "leader", "cadre", "grassroots", "outsider")}),
    Case("password_change", {p: 200 for p in ("staff", "leader", "cadre", "grassroots", "outsider")}),
    Case("password_change_done", {p: 200 for p in ("staff", "leader", "cadre", "grassroots", "outsider")}),
    Case("login", {"anonymous": 200}, default=302),
    Case("health", {"anonymous": 200}, default=200),
]

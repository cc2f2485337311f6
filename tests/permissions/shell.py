"""The shell: every logged-in persona has a home page and can change their password."""

from tests.permissions import PERSONAS, Case

LOGGED_IN = {persona: 200 for persona in PERSONAS if persona != "anonymous"}

CASES = [
    Case("home", LOGGED_IN),
    Case("password_change", LOGGED_IN),
    Case("password_change_done", LOGGED_IN),
    Case("login", {"anonymous": 200}, default=302),
    Case("health", {"anonymous": 200}, default=200),
]

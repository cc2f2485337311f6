from tests.permissions import Case

# Organization staff only (the outsider is staff of another root); a token that is not the user's is 404.
CASES = [
    Case("cells:import_upload", {"staff": 200, "outsider": 200}),
    Case(
        "cells:import_preview",
        {"staff": 404, "outsider": 404},
        kwargs=lambda world: {"token": "x" * 43},
    ),
]

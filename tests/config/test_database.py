"""The suite runs on the database DATABASE_URL names: PostgreSQL in CI, SQLite by default."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_url_gives_a_postgresql_connection(postgres_required):
    assert os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"  # Vietnamese names need it


@pytest.mark.django_db
def test_the_database_matches_the_environment():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_vietnamese_text_round_trips(tree):
    tree.root.refresh_from_db()
    assert tree.root.name == "Huyện ủy Hóc Môn"

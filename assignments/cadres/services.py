"""Writes of cadres. Each service validates the whole record before it saves."""

from __future__ import annotations

from assignments.models import Cadre


def cadre_create(**fields) -> Cadre:
    cadre = Cadre(**fields)
    cadre.full_clean()
    cadre.save()
    return cadre


def cadre_update(cadre: Cadre, **fields) -> Cadre:
    for name, value in fields.items():
        setattr(cadre, name, value)
    cadre.full_clean()
    cadre.save(update_fields=list(fields))
    return cadre

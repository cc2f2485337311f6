"""Writes of party members. Each service validates the whole record before it saves."""

from __future__ import annotations

from cells.models import Member


def member_create(**fields) -> Member:
    member = Member(**fields)
    member.full_clean()
    member.save()
    return member


def member_update(member: Member, **fields) -> Member:
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save(update_fields=list(fields))
    return member

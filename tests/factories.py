"""Factories that build state through the services, so tests start from what users would create."""

from __future__ import annotations

import datetime

import factory

from assignments.models import Cadre
from cells.hierarchy import services
from cells.hierarchy.defaults import install_default_cell_types
from cells.models import CellType, CellTypeGroup, Meeting, Member, Organization


def cell_type(code: str = "AP") -> CellType:
    """A default cell type (installed again when a transactional test flushed the migration data)."""
    if not CellType.objects.filter(code=code).exists():
        install_default_cell_types(CellTypeGroup, CellType)
    return CellType.objects.get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.Sequence(lambda n: f"Tổ chức {n}")
    kind = Organization.Kind.COMMITTEE
    parent = None
    cell_type = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.organization_create(**kwargs)


class CellFactory(OrganizationFactory):
    code = factory.Sequence(lambda n: f"CB{n:05d}")
    name = factory.Sequence(lambda n: f"Chi bộ {n}")
    kind = Organization.Kind.CELL
    cell_type = factory.LazyFunction(lambda: cell_type("AP"))


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    card_number = factory.Sequence(lambda n: f"79.{n:06d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    cell = factory.SubFactory(CellFactory)
    status = Member.Status.OFFICIAL
    joined_on = datetime.date(2015, 5, 19)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    cell = factory.SubFactory(CellFactory)
    date = datetime.date(2026, 12, 5)
    start_time = datetime.time(19, 30)
    place = "Hội trường ấp"
    kind = Meeting.Kind.REGULAR


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    code = factory.Sequence(lambda n: f"CBPC{n:04d}")
    full_name = factory.Sequence(lambda n: f"Trần Thị {n}")
    position = Cadre.Position.COMMITTEE
    email = factory.Sequence(lambda n: f"cadre{n}@example.org")
    organization = factory.SubFactory(OrganizationFactory)

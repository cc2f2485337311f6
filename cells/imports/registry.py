"""The kinds of files that can be imported. Apps add theirs from AppConfig.ready() (cells may not
import assignments, so the cadres importer registers itself)."""

from __future__ import annotations

from cells.imports.base import Importer

_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(kind) from None


def importers() -> list[Importer]:
    return sorted(_IMPORTERS.values(), key=lambda importer: (importer.order, importer.kind))


def importer_choices() -> list[tuple[str, str]]:
    return [(importer.kind, importer.label) for importer in importers()]

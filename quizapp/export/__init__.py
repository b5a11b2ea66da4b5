"""Anki ``.apkg`` export of the decks (genanki), importable and re-importable as updates."""

from quizapp.export.apkg import ExportReport, export_anki, export_parsed
from quizapp.export.build import DEFAULT_INSTANCES, MAX_INSTANCES, ExportOptions
from quizapp.export.writer import ExportError

__all__ = [
    "DEFAULT_INSTANCES",
    "MAX_INSTANCES",
    "ExportError",
    "ExportOptions",
    "ExportReport",
    "export_anki",
    "export_parsed",
]

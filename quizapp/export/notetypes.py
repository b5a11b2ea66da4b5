"""The Anki note types quizapp exports to.

Their ids are fixed: Anki recognises a note type across imports by its id, and a new
id on every export would give the user a new copy of each note type every time.
Changing a note type's fields means giving it a new id (and a new name).
"""

from __future__ import annotations

import genanki

BASIC_MODEL_ID = 1_718_404_101
CLOZE_MODEL_ID = 1_718_404_102
QUIZ_MODEL_ID = 1_718_404_103

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
  font-size: 18px;
  line-height: 1.5;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
  max-width: 46em;
  margin: 0 auto;
}
.nightMode.card, .night_mode .card { color: #e8e8e8; background-color: #1e1e1e; }
.crumb { font-size: 0.7em; color: #888888; margin-bottom: 0.4em; }
.front, .context { font-weight: 600; }
.derivation { margin-top: 0.8em; font-size: 0.9em; }
.derivation-label, .answer-label { font-size: 0.75em; color: #888888; text-transform: uppercase; }
.source { margin-top: 1.2em; font-size: 0.65em; color: #aaaaaa; }
.cloze { font-weight: bold; color: #1f5fbf; }
.nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
pre { padding: 0.6em; overflow-x: auto; border-radius: 4px; font-size: 0.85em; }
code { font-family: "JetBrains Mono", Menlo, Consolas, monospace; }
table { border-collapse: collapse; }
th, td { border: 1px solid #cccccc; padding: 0.2em 0.5em; }
img { max-width: 100%; }
"""

_CRUMB = '<div class="crumb">{{Breadcrumb}}</div>\n'
_SOURCE = '\n<div class="source">{{Source}}</div>'

BASIC = genanki.Model(
    BASIC_MODEL_ID,
    "quizapp Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Breadcrumb"}, {"name": "Source"}],
    templates=[
        {
            "name": "Card",
            "qfmt": _CRUMB + '<div class="front">{{Front}}</div>',
            "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="back">{{Back}}</div>' + _SOURCE,
        }
    ],
    css=CSS,
)

CLOZE = genanki.Model(
    CLOZE_MODEL_ID,
    "quizapp Cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": "Text"}, {"name": "Context"}, {"name": "Breadcrumb"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": _CRUMB + '<div class="context">{{Context}}</div>\n{{cloze:Text}}',
            "afmt": _CRUMB + '<div class="context">{{Context}}</div>\n{{cloze:Text}}' + _SOURCE,
        }
    ],
    css=CSS,
)

QUIZ = genanki.Model(
    QUIZ_MODEL_ID,
    "quizapp Quiz",
    fields=[
        {"name": "Question"},
        {"name": "Answer"},
        {"name": "Derivation"},
        {"name": "Breadcrumb"},
        {"name": "Source"},
    ],
    templates=[
        {
            "name": "Card",
            "qfmt": _CRUMB + '<div class="front">{{Question}}</div>',
            "afmt": (
                '{{FrontSide}}\n<hr id="answer">\n'
                '<div class="answer-label">answer</div>\n<div class="answer">{{Answer}}</div>\n'
                '{{#Derivation}}<div class="derivation"><div class="derivation-label">derivation'
                "</div>{{Derivation}}</div>{{/Derivation}}" + _SOURCE
            ),
        }
    ],
    css=CSS,
)

"""List, OSR and ``Q:``/``A:``/``C:`` decks exported and imported into a real Anki
collection: a reversed OSR card is two notes, a ``C:`` block one cloze note."""

from __future__ import annotations

from pathlib import Path

from quizapp.export import export_anki

from .conftest import AnkiCollection

FORMATS = Path(__file__).parent.parent / "fixtures" / "layouts"


def test_formats_round_trip_through_anki(tmp_path: Path, anki: AnkiCollection) -> None:
    report = export_anki([FORMATS], tmp_path / "formats.apkg")
    anki.import_apkg(report.path)
    fronts = {str(n["Front"]) for n in anki.notes("note:quizapp*Basic")}
    assert {"Weight decay", "L2 penalty on the weights", "求 GRU 参数量"} <= fronts
    assert "What does SVD stand for?" not in fronts  # no answer, no card
    texts = [str(n["Text"]) for n in anki.notes("note:quizapp*Cloze")]
    [trace] = [t for t in texts if "trace" in t]
    assert "{{c1::trace}}" in trace and "{{c2::diagonal entries}}" in trace
    [note] = [n for n in anki.notes("note:quizapp*Cloze") if "trace" in str(n["Text"])]
    assert sorted(c.ord for c in note.cards()) == [0, 1]
    # the text is the question: no context repeats it above the gaps
    assert str(note["Context"]) == ""
    # the link in a C: block stays a link, not a gap
    [eigen] = [t for t in texts if "eigenvector" in t]
    assert '<a href="https://example.org/eig">the notes</a>' in eigen
    # comments are never exported; a callout is a titled block, without its marker
    fields = [str(value) for n in anki.notes("note:quizapp*") for value in n.values()]
    assert not any("Bite" in f or "&lt;!--" in f or "<!--" in f for f in fields)
    [callout] = [f for f in fields if "Shape check" in f]
    assert "<em>Tip</em> · <strong>Shape check</strong>" in callout and "[!tip]" not in callout
    # a deletion inside math stays a cloze inside the formula
    assert any("\\((m \\times {{c1::n}})" in t for t in texts)
    # decks named as each tool names them: hashcards by `name`, OSR by the tag
    assert anki.deck_names() >= {
        "Linear algebra::Week 3",
        "ml::Optimizers::Regularisation",
        "aif::evo1::See Also",
        "Machine Learning::2025-12-28 Class",
        "序列模型::RNN",
    }

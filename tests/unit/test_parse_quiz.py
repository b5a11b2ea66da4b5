"""``quiz`` blocks: computational cards, validated against the model catalog."""

from __future__ import annotations

import pytest

from quizapp.deckfile import parse_deck
from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.quiz import BadParam, normalize_param
from quizapp.deckfile.types import ParsedDeck


def deck_with(block: str, extra: str = "") -> ParsedDeck:
    """A deck whose card "Q" (line 3) holds ``block`` as a quiz fence opened on line 7."""
    return parse_deck(f"# D\n\n## Q\n\nWhy it works.\n\n```quiz\n{block}\n```\n{extra}", "q.md")


def messages(deck: ParsedDeck) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in deck.diagnostics]


GRU = 'model: gru_params\nask: "nn.GRU({m}, {n}) 有多少参数？"\n'


def test_quiz_block_becomes_its_own_card_linked_to_its_parent() -> None:
    deck = deck_with(GRU + "params: {m: [8, 512], n: 64}")
    parent, quiz = deck.cards
    assert parent.kind == "basic"
    assert parent.back == "Why it works."  # the YAML is not part of the answer
    assert quiz.kind == "quiz"
    assert quiz.id == parent.id + "/quiz-1"
    assert quiz.parent == parent.id
    assert quiz.front == "nn.GRU({m}, {n}) 有多少参数？"
    assert quiz.back == "Why it works."
    assert quiz.line == 7
    assert quiz.topic == parent.topic
    assert quiz.quiz is not None
    assert quiz.quiz.model == "gru_params"
    assert dict(quiz.quiz.params) == {"m": ("range", 8, 512), "n": ("fixed", 64)}
    assert quiz.quiz.tolerance is None
    assert deck.diagnostics == ()


def test_several_blocks_are_numbered_and_may_name_their_id() -> None:
    second = (
        "```quiz\nmodel: embedding_params\nask: '{vocab}×{dim}'\n"
        "params: {vocab: 100, dim: 8}\nid: emb\n```\n"
    )
    third = "```quiz\nmodel: mha_params\nask: 'd={d}'\nparams: {d: 64, heads: 8}\n```\n"
    deck = deck_with(GRU + "params: {m: 8, n: 8}", f"\n{second}\n{third}")
    ids = [c.id for c in deck.cards]
    base = ids[0]
    assert ids == [base, base + "/quiz-1", "emb", base + "/quiz-3"]
    assert [c.explicit_id for c in deck.cards] == [False, False, True, False]


def test_a_heading_with_only_quiz_blocks_yields_only_quiz_cards() -> None:
    deck = parse_deck(f"# D\n\n## Q\n\n```quiz\n{GRU}params: {{m: 8, n: 8}}\n```\n", "q.md")
    [quiz] = deck.cards
    assert quiz.kind == "quiz"
    assert quiz.back == ""
    assert quiz.parent is not None and quiz.id == quiz.parent + "/quiz-1"


def test_param_forms_are_normalized() -> None:
    block = (
        "model: lstm_step\nask: 'x={x}'\ntolerance: 0.05\nparams:\n"
        "  x: [-1, 1]\n  h: 0\n  c: [-1, -0.5, 0.5]\n  wi: {choices: [0.5, 1]}\n"
        "  wf: {range: [0, 1]}\n  wg: 1\n  wo: 1\n  ui: 0\n  uf: 0\n  ug: 0\n  uo: 0\n"
        "  bi: 0\n  bf: 0\n  bg: 0\n  bo: 0.5\n"
    )
    deck = deck_with(block)
    quiz = deck.cards[1].quiz
    assert quiz is not None
    assert quiz.tolerance == 0.05
    params = dict(quiz.params)
    assert params["x"] == ("range", -1.0, 1.0)
    assert params["h"] == ("fixed", 0.0)
    assert params["c"] == ("choices", -1.0, -0.5, 0.5)
    assert params["wi"] == ("choices", 0.5, 1.0)
    assert params["wf"] == ("range", 0.0, 1.0)
    assert list(params) == list(CATALOG["lstm_step"].param_names)  # catalog order


def test_text_parameters_take_every_list_as_choices() -> None:
    info = CATALOG["textcnn_features"].param("sizes")
    assert info is not None
    assert normalize_param(info, "2,3,4") == ("fixed", "2,3,4")
    assert normalize_param(info, 3) == ("fixed", "3")
    assert normalize_param(info, [3, 4]) == ("choices", "3", "4")
    with pytest.raises(BadParam, match="not a range"):
        normalize_param(info, {"range": [2, 4]})


def test_unknown_model_suggests_the_closest_name() -> None:
    deck = deck_with("model: gru_param\nask: 'x'\nparams: {m: 8, n: 8}")
    assert messages(deck) == [
        (8, "quiz block: unknown model 'gru_param' (did you mean 'gru_params'?)")
    ]
    # the parent card still loads
    assert [c.kind for c in deck.cards] == ["basic"]


def test_unknown_and_missing_parameters() -> None:
    deck = deck_with(GRU + "params:\n  m: 8\n  hidden: 8\n")
    assert messages(deck) == [
        (10, "quiz block: missing required parameter of gru_params (n: hidden_size)"),
        (
            12,
            "quiz block: unknown parameter 'hidden' for gru_params (known: m, n, layers, "
            "bidirectional, bias)",
        ),
    ]
    assert [c.kind for c in deck.cards] == ["basic"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[512, 8]", "bad range for m: [512, 8] is empty (lo > hi)"),
        ("{range: [a, 8]}", "bad range for m: m must be a whole number, not 'a'"),
        ("{range: [1, 2, 3]}", "bad range for m: must be [lo, hi], not [1, 2, 3]"),
        ("[8, 16.5]", "bad range for m: m must be a whole number, not 16.5"),
        ("[true, 8]", "bad choice for m: m must be a number, not true (write 1 or 0)"),
        ("true", "m must be a number, not true (write 1 or 0)"),
        ("[]", "m has an empty list of choices"),
        ("{choices: []}", "choices of m must be a non-empty list"),
        ("[[1, 2], 3]", "bad choice for m: m: a value must be a plain number or text, not [1, 2]"),
        (
            "{between: [1, 2]}",
            "m must be a value, [lo, hi], a list of choices, {range: [lo, hi]} or {choices: [...]}",
        ),
        (".inf", "m must be a finite number, not inf"),
    ],
)
def test_bad_parameter_values_are_reported_on_their_line(value: str, message: str) -> None:
    deck = deck_with(GRU + f"params:\n  n: 8\n  m: {value}\n")
    assert messages(deck) == [(12, f"quiz block: {message}")]
    assert [c.kind for c in deck.cards] == ["basic"]


def test_ask_placeholders_must_name_parameters() -> None:
    deck = deck_with(
        "model: gru_params\nask: 'GRU({m}, {hidden}) with {layers} layers'\nparams: {m: 8, n: 8}"
    )
    assert messages(deck) == [
        (
            9,
            "quiz block: `ask` uses {hidden}, which is not a parameter of gru_params (known: m, "
            "n, layers, bidirectional, bias)",
        )
    ]


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        (
            "- just\n- a list",
            7,
            "quiz block: must be a YAML mapping with `model`, `ask` and `params`",
        ),
        (
            "ask: 'x'\nparams: {}",
            7,
            "quiz block: missing `model` (one of: " + ", ".join(CATALOG) + ")",
        ),
        (
            "model: gru_params\nparams: {m: 8, n: 8}",
            7,
            "quiz block: `ask` must be the question "
            'text, e.g. ask: "nn.GRU({m}, {n}) 有多少参数？"',
        ),
        (
            GRU + "params: {m: 8, n: 8}\ntolerance: -1",
            11,
            "quiz block: `tolerance` must be a number ≥ 0 (absolute) or a percentage like 2% "
            "(relative), not -1",
        ),
        (
            GRU + "params: {m: 8, n: 8}\nmodle: x",
            11,
            "quiz block: unknown key 'modle' (did you mean 'model'?)",
        ),
        (
            GRU + "params: [8, 8]",
            10,
            "quiz block: `params` must be a mapping like {m: [8, 512], n: 64}",
        ),
        (
            "model: gru_params\nask: [unclosed",
            9,
            "quiz block: malformed YAML: expected ',' or "
            "']', but got '<stream end>' (while parsing a flow sequence)",
        ),
        (
            "model: gru_params\n\tbad: tab",
            9,
            "quiz block: malformed YAML: found character '\\t' "
            "that cannot start any token (while scanning for the next token)",
        ),
        (
            "model: !!python/object:os.system x",
            8,
            "quiz block: malformed YAML: could not "
            "determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'",
        ),
    ],
)
def test_malformed_blocks(block: str, line: int, message: str) -> None:
    deck = deck_with(block)
    assert (line, message) in messages(deck)
    assert all(d.severity == "error" for d in deck.diagnostics)
    assert [c.kind for c in deck.cards] == ["basic"]


def test_quiz_block_outside_a_card_is_an_error() -> None:
    text = f"# D\n\nIntro.\n\n```quiz\n{GRU}params: {{m: 8, n: 8}}\n```\n\n## Q\n\nA\n"
    deck = parse_deck(text, "q.md")
    assert messages(deck) == [
        (5, "quiz block outside a card is ignored; put it under a question heading")
    ]
    assert [c.front for c in deck.cards] == ["Q"]
    assert [t.text for t in deck.topics] == ["Intro."]


def test_duplicate_quiz_id_keeps_the_first() -> None:
    block = GRU + "params: {m: 8, n: 8}\nid: same"
    deck = parse_deck(
        f"# D\n\n## A\n\na\n\n```quiz\n{block}\n```\n\n## B\n\nb\n\n```quiz\n{block}\n```\n", "q.md"
    )
    assert [c.id for c in deck.cards if c.kind == "quiz"] == ["same"]
    assert messages(deck) == [
        (18, "duplicate card id 'same' (first used on line 7); this quiz is ignored")
    ]


def test_cloze_cards_one_per_number_outside_code() -> None:
    text = (
        "# D\n\n## Gates\n\n"
        "GRU has an {{c1::update gate}} and a {{c2::reset gate::one of two}}; {{c2::again}}.\n"
        "In code `{{c3::x}}` is literal, as is \\{\\{c5::escaped}}.\n\n"
        "```\n{{c4::in a fence}}\n```\n\n"
        "| a | b |\n|---|---|\n| {{c6::cell}} | x |\n\n"
        "$$\n\\frac{{c7::a}}{b}\n$$\n"
    )
    deck = parse_deck(text, "c.md")
    assert [(c.kind, c.cloze) for c in deck.cards] == [
        ("cloze", 1),
        ("cloze", 2),
        ("cloze", 6),
        ("cloze", 7),
    ]
    base = deck.cards[0].id.removesuffix("/c1")
    assert [c.id for c in deck.cards] == [f"{base}/c{n}" for n in (1, 2, 6, 7)]
    assert all(c.front == "Gates" and c.back.startswith("GRU has an {{c1::") for c in deck.cards)
    assert deck.diagnostics == ()


def test_cloze_zero_is_ignored_with_a_warning() -> None:
    deck = parse_deck("# D\n\n## Q\n\nx {{c0::y}} {{c1::z}}\n", "c.md")
    assert [c.cloze for c in deck.cards] == [1]
    assert [(d.line, d.severity) for d in deck.diagnostics] == [(5, "warning")]


def test_quiz_under_a_cloze_card_links_to_the_base_id() -> None:
    deck = parse_deck(
        f"# D\n\n## Q {{#q}}\n\nA {{{{c1::gap}}}}.\n\n```quiz\n{GRU}params: {{m: 8, n: 8}}\n```\n",
        "c.md",
    )
    assert [(c.id, c.kind, c.parent) for c in deck.cards] == [
        ("q/c1", "cloze", None),
        ("q/quiz-1", "quiz", "q"),
    ]
    assert "```quiz" not in deck.cards[0].back


def test_fixed_level_card_owns_quiz_blocks_and_clozes_of_its_sub_headings() -> None:
    text = (
        "---\ncards: 2\n---\n# D\n\n## GRU {#gru}\n\n### Gates\n\n{{c1::update}} and reset.\n\n"
        f"### Count\n\n```quiz\n{GRU}params: {{m: 8, n: 8}}\n```\n\n## Next\n\nplain\n"
    )
    deck = parse_deck(text, "fixed.md")
    assert [(c.id, c.kind, c.line) for c in deck.cards] == [
        ("gru/c1", "cloze", 6),
        ("gru/quiz-1", "quiz", 14),
        (deck.cards[2].id, "basic", 20),
    ]
    assert deck.cards[0].back == "### Gates\n\n{{c1::update}} and reset.\n\n### Count"
    assert deck.diagnostics == ()


def test_long_values_are_cut_short_in_messages() -> None:
    deck = deck_with(GRU + f"params:\n  n: 8\n  m: {'x' * 5000}\n")
    [problem] = deck.diagnostics
    assert problem.message.startswith("quiz block: m must be a whole number, not 'xxx")
    assert problem.message.endswith("…")
    assert len(problem.message) < 120


def test_a_repeated_block_reports_each_copy_on_its_own_lines() -> None:
    bad = GRU + "params: {m: [8, 512], n: 0}"
    text = (
        "# D\n\n## Q1\n\nA.\n\n```quiz\n"
        + bad
        + "\n```\n\n## Q2\n\nB.\n\n```quiz\n"
        + bad
        + "\n```\n"
    )
    first = parse_deck(text, "a.md")
    again = parse_deck("\n\n" + text, "b.md")
    lines = [d.line for d in first.diagnostics if d.severity == "error"]
    assert len(lines) == 2 and lines[0] < lines[1]
    assert [d.line for d in again.diagnostics if d.severity == "error"] == [n + 2 for n in lines]
    assert {d.source for d in again.diagnostics} == {"b.md"}
    assert [d.message for d in first.diagnostics] == [d.message for d in again.diagnostics]
    assert all(c.kind != "quiz" for c in first.cards + again.cards)

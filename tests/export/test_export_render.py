"""Deck markdown → the HTML of Anki fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.export.media import MediaBundle
from quizapp.export.render import AnkiHtmlRenderer, RenderContext


@pytest.fixture(scope="module")
def renderer() -> AnkiHtmlRenderer:
    return AnkiHtmlRenderer()


@pytest.fixture
def ctx(tmp_path: Path) -> RenderContext:
    return RenderContext(tmp_path, MediaBundle())


def test_inline_math_becomes_mathjax_with_angle_brackets_escaped(renderer, ctx) -> None:
    out = renderer.block(r"the cell $\hat{c}^{<t>}$ at step t", ctx)
    assert r"\(\hat{c}^{&lt;t&gt;}\)" in out
    assert "<t>" not in out


def test_display_math_keeps_line_breaks_and_escapes_tags(renderer, ctx) -> None:
    src = "$$\n\\Gamma_u = \\sigma(W_u [a^{<t-1>}, x^{<t>}] + b_u) \\\\\na < b\n$$\n"
    out = renderer.block(src, ctx)
    assert (
        "\\[\\Gamma_u = \\sigma(W_u [a^{&lt;t-1&gt;}, x^{&lt;t&gt;}] + b_u) \\\\\na &lt; b\\]"
        in out
    )


def test_double_dollar_inside_a_paragraph_is_display_math(renderer, ctx) -> None:
    out = renderer.block("so $$x^2$$ holds", ctx)
    assert r"\[x^2\]" in out


def test_code_is_highlighted_with_inline_styles(renderer, ctx) -> None:
    out = renderer.block("```python\ndef f(x):\n    return x < 1\n```\n", ctx)
    assert 'style="' in out
    assert "class=" not in out.replace('class="highlight"', "")
    assert "def" in out and "&lt;" in out


def test_code_in_an_unknown_language_is_plain_escaped(renderer, ctx) -> None:
    out = renderer.block("```nosuchlang\na <b> c\n```\n", ctx)
    assert '<pre><code class="language-nosuchlang">a &lt;b&gt; c\n</code></pre>' in out


def test_cloze_markers_survive_markdown(renderer, ctx) -> None:
    out = renderer.block("GRU has {{c1::**two** gates}} and {{c2::$\\sigma$::a function}}.", ctx)
    assert "{{c1::<strong>two</strong> gates}}" in out
    assert "{{c2::\\(\\sigma\\)::a function}}" in out


def test_braces_in_code_cannot_open_or_close_a_cloze(renderer, ctx) -> None:
    out = renderer.block("`{{c1::x}}`\n\n```python\nd = {{'a': 1}}\n```\n", ctx)
    assert "{{" not in out and "}}" not in out
    assert "{&#123;c1::x}&#125;" in out


def test_raw_html_is_shown_as_text(renderer, ctx) -> None:
    out = renderer.block("a<t> and <b>bold</b>", ctx)
    assert "a&lt;t&gt; and &lt;b&gt;bold&lt;/b&gt;" in out


def test_local_image_is_bundled_and_renamed(renderer, ctx, tmp_path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "lstm cell.png").write_bytes(b"\x89PNG fake")
    out = renderer.block("- list\n\n    ![LSTM](img/lstm%20cell.png)\n", ctx)
    [media] = ctx.media.files
    assert media.path == (tmp_path / "img" / "lstm cell.png").resolve()
    assert media.name.startswith("lstm_cell-") and media.name.endswith(".png")
    assert f'<img src="{media.name}" alt="LSTM">' in out
    assert ctx.image_problems == []


def test_same_image_twice_is_bundled_once(renderer, ctx, tmp_path) -> None:
    (tmp_path / "a.png").write_bytes(b"one")
    renderer.block("![](a.png) ![](./a.png)", ctx)
    assert len(ctx.media) == 1


def test_images_with_the_same_name_in_two_folders_do_not_collide(renderer, tmp_path) -> None:
    media = MediaBundle()
    for folder, data in (("x", b"first"), ("y", b"second")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "fig.png").write_bytes(data)
        renderer.block("![](fig.png)", RenderContext(tmp_path / folder, media))
    assert len({f.name for f in media.files}) == 2


def test_remote_image_stays_a_link(renderer, ctx) -> None:
    out = renderer.block("![](https://upload.wikimedia.org/a/LSTM_Cell.svg.png)", ctx)
    assert '<img src="https://upload.wikimedia.org/a/LSTM_Cell.svg.png" alt="">' in out
    assert len(ctx.media) == 0


def test_missing_image_is_reported_and_left_as_written(renderer, ctx) -> None:
    out = renderer.block("![](nowhere.png)", ctx)
    assert '<img src="nowhere.png"' in out
    assert ctx.image_problems == ["image not found: nowhere.png"]


def test_quiz_block_is_left_out_of_the_answer(renderer, ctx) -> None:
    out = renderer.block("text\n\n```quiz\nmodel: gru_params\n```\n", ctx)
    assert "gru_params" not in out and "text" in out


def test_inline_renders_heading_text(renderer, ctx) -> None:
    assert renderer.inline("求 **GRU** 参数？ `h<t>`", ctx) == (
        "求 <strong>GRU</strong> 参数？ <code>h&lt;t&gt;</code>"
    )


def test_tables_render(renderer, ctx) -> None:
    out = renderer.block("| a | b |\n|---|---|\n| 1 | 2 |\n", ctx)
    assert "<table>" in out and "<td>2</td>" in out


def test_image_outside_the_deck_folder_shows_its_alt_text(renderer, tmp_path) -> None:
    deck, outside = tmp_path / "deck", tmp_path / "outside"
    deck.mkdir()
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"secret")
    (deck / "link.png").symlink_to(outside / "secret.png")
    ctx = RenderContext(deck, MediaBundle())
    out = renderer.block("![a *diagram*](../outside/secret.png) ![linked](link.png)", ctx)
    assert out == "<p>a diagram linked</p>\n"
    assert len(ctx.media) == 0
    assert ctx.image_problems == [
        "image outside the deck folder, not bundled: ../outside/secret.png",
        "image outside the deck folder, not bundled: link.png",
    ]


def test_sub_deck_images_may_come_from_anywhere_in_the_named_folder(renderer, tmp_path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "fig.png").write_bytes(b"fig")
    (tmp_path / "nlp").mkdir()
    ctx = RenderContext(tmp_path / "nlp", MediaBundle(), root=tmp_path)
    out = renderer.block("![fig](../img/fig.png)", ctx)
    [media] = ctx.media.files
    assert f'<img src="{media.name}" alt="fig">' in out
    assert ctx.image_problems == []


def test_a_symlink_inside_the_folder_to_a_file_inside_it_is_bundled(
    renderer, ctx, tmp_path
) -> None:
    (tmp_path / "real.png").write_bytes(b"real")
    (tmp_path / "alias.png").symlink_to("real.png")
    renderer.block("![](alias.png)", ctx)
    [media] = ctx.media.files
    assert media.path == (tmp_path / "real.png").resolve()

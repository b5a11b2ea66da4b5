"""What quizapp writes out, when the deck is hostile: the files an export bundles and the
characters a terminal receives.

A deck is a folder someone else wrote. Exporting it must never put the user's own files
into the ``.apkg`` they then share (absolute paths, ``..``, encoded ``..``, symlinks,
``/proc``, a sparse 8 GiB "image"), and nothing a deck or a file name holds may reach
the terminal as a control sequence (OSC 52 writes the clipboard, OSC 0 the window
title, ``ESC[2J`` clears the screen). The parser cleans deck text as it reads it, so
the control characters here come where parsing cannot clean them: file names, and
card rows already in the database (written by an older version, or imported).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from quizapp.store.db import open_db
from quizapp.store.sync import sync_decks

#: what a hostile deck would like the terminal to do
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
HOSTILE = OSC_TITLE + OSC_CLIPBOARD + CLEAR + C1_CSI
#: any C0 control but newline and tab, DEL, any C1 control
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SECRET = "SECRET-4f1b1b1-do-not-share"


def quizapp(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, limit_memory: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``quizapp`` command; output kept as bytes (what the terminal gets)."""

    def cap_memory() -> None:
        # Reading an 8 GiB file into memory fails here instead of swapping the machine.
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        input=stdin.encode(),
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        preexec_fn=cap_memory if limit_memory else None,
        check=False,
    )


def terminal_text(result: subprocess.CompletedProcess[bytes]) -> str:
    """Everything the command printed, stdout then stderr."""
    return (result.stdout + result.stderr).decode("utf-8")


def assert_no_control(text: str) -> None:
    found = sorted({hex(ord(c)) for c in CONTROL.findall(text)})
    assert not found, f"control characters reached the terminal: {found}\n{text!r}"


def png(width: int = 2, height: int = 1) -> bytes:
    """A real (tiny) PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# -- export: images ---------------------------------------------------------------------

LEAKS = [
    ("passwd", "/etc/passwd"),
    ("up", "../outside/secret.txt"),
    ("encoded", "..%2Foutside%2Fsecret.txt"),
    ("link", "img/link.png"),
    ("environ", "/proc/self/environ"),
]


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    """``outside/`` with the user's secrets, ``deck/`` (the folder the user names) whose
    card links to them in every way, next to one real picture of its own."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "notes.md").write_text(
        f"# Private\n\n## Leaked question {SECRET}?\n\nLeaked answer.\n", encoding="utf-8"
    )
    deck = tmp_path / "deck"
    (deck / "img").mkdir(parents=True)
    (deck / "img" / "cell.png").write_bytes(png())
    (deck / "img" / "link.png").symlink_to(outside / "secret.txt")
    (deck / "leak.md").symlink_to(Path("..") / "outside" / "notes.md")
    links = " ".join(f"![alt-{name}]({src})" for name, src in LEAKS)
    (deck / "deck.md").write_text(
        "# Deck\n\n## Topic\n\n### Which files?\n\n"
        f"{links}\n\n### A picture\n\n![LSTM cell](img/cell.png)\n",
        encoding="utf-8",
    )
    return tmp_path


def _media_blobs(apkg: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(apkg) as z:
        names: dict[str, str] = json.loads(z.read("media"))
        return {name: z.read(index) for index, name in names.items()}


def _everything_in(apkg: Path) -> bytes:
    with zipfile.ZipFile(apkg) as z:
        return b"".join(z.read(info) for info in z.infolist())


def test_export_bundles_no_file_from_outside_the_deck_folder(hostile_tree: Path) -> None:
    deck, out = hostile_tree / "deck", hostile_tree / "out.apkg"
    result = quizapp(
        "--db",
        str(hostile_tree / "q.db"),
        "--deck",
        str(deck),
        "export",
        "anki",
        "-o",
        str(out),
        env={"QUIZAPP_TEST_SECRET": SECRET},
    )
    assert result.returncode == 0, terminal_text(result)
    stderr = result.stderr.decode()
    source = deck / "deck.md"
    for _, src in LEAKS:
        shown = src.replace("%2F", "/")
        assert (
            f"{source}:5: warning: image outside the deck folder, not bundled: {shown}\n" in stderr
        ), stderr
    assert "1 media file" in result.stdout.decode()

    # The package holds the one picture of the deck, and nothing of the user's files.
    assert list(_media_blobs(out).values()) == [png()]
    everything = _everything_in(out)
    assert SECRET.encode() not in everything
    assert Path("/etc/passwd").read_bytes()[:40] not in everything

    # What Anki makes of it: one media file, the picture; alt text where the leaks were.
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    (hostile_tree / "anki").mkdir()
    col = Collection(str(hostile_tree / "anki" / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(out), options=ImportAnkiPackageOptions(with_scheduling=False)
        )
        col.import_anki_package(request)
        media = Path(col.media.dir())
        assert [p.read_bytes() for p in media.iterdir()] == [png()]
        [leaky] = [col.get_note(n) for n in col.find_notes('"Front:Which files?"')]
        back = leaky["Back"]
        assert "<img" not in back
        for name, _ in LEAKS:
            assert f"alt-{name}" in back
        [picture] = [col.get_note(n) for n in col.find_notes('"Front:A picture"')]
        [shown_name] = re.findall(r'<img src="([^"]+)" alt="LSTM cell">', picture["Back"])
        assert (media / shown_name).read_bytes() == png()
    finally:
        col.close()


def test_a_deck_symlink_out_of_the_folder_is_not_read(hostile_tree: Path) -> None:
    deck = hostile_tree / "deck"
    db = ["--db", str(hostile_tree / "q.db"), "--deck", str(deck)]

    lint = quizapp(*db, "lint")
    assert (
        f"{deck / 'leak.md'}:1: warning: symlink to a file outside the deck folder, not read"
        in (terminal_text(lint))
    )
    assert SECRET not in terminal_text(lint)

    cards = quizapp(*db, "cards", "--json")
    fronts = [c["front"] for c in json.loads(cards.stdout)]
    assert sorted(fronts) == ["A picture", "Which files?"]

    out = hostile_tree / "out.apkg"
    assert quizapp(*db, "export", "anki", "-o", str(out)).returncode == 0
    assert SECRET.encode() not in _everything_in(out)


def test_an_8_gib_sparse_image_is_not_read(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    with (deck / "huge.png").open("wb") as fh:
        fh.truncate(8 << 30)
    os.mkfifo(deck / "pipe.png")
    (deck / "deck.md").write_text(
        "# D\n\n## Big?\n\n![huge](huge.png) ![pipe](pipe.png)\n", encoding="utf-8"
    )
    out = tmp_path / "out.apkg"
    result = quizapp(
        "--db",
        str(tmp_path / "q.db"),
        "--deck",
        str(deck),
        "export",
        "anki",
        "-o",
        str(out),
        limit_memory=True,
    )
    assert result.returncode == 0, terminal_text(result)
    stderr = result.stderr.decode()
    assert (
        f"{deck / 'deck.md'}:3: warning: image is 8.0 GiB, over the 100 MiB limit for media "
        "files, not bundled: huge.png" in stderr
    ), stderr
    assert "image is not a regular file, not bundled: pipe.png" in stderr
    assert _media_blobs(out) == {}
    assert out.stat().st_size < 1 << 20


# -- terminal writers -------------------------------------------------------------------


def _deck(folder: Path, name: str = "deck.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "# Deck\n\n## Topic\n\n### Question one?\n\nAnswer one.\n\n"
        "### Question two?\n\nAnswer two.\n",
        encoding="utf-8",
    )
    return path


def _old_rows(db: Path, deck: Path) -> None:
    """Sync ``deck``, then make its cards what an older quizapp (one that did not clean
    deck text) or an import would have stored: control characters everywhere."""
    database = open_db(f"sqlite:///{db}")
    try:
        sync_decks(database, [deck])
    finally:
        database.close()
    con = sqlite3.connect(db)
    with con:
        con.execute(
            "UPDATE cards SET deck = ?, topic = ?, front = ? || front, back = back || ?",
            (f"Deck{HOSTILE}", json.dumps([f"Topic{HOSTILE}"]), HOSTILE, f"\n\n{HOSTILE}"),
        )
    con.close()


def test_lint_shows_control_characters_in_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / f"x{OSC_TITLE}{C1_CSI}.md").write_text("# Deck\n\n## \n\ntext\n", encoding="utf-8")
    result = quizapp("lint", str(folder))
    assert result.returncode == 1
    text = terminal_text(result)
    assert_no_control(text)
    assert "x␛]0;pwned␇<U+009B>31m.md:3: error:" in text, text


def test_sync_and_export_diagnostics_show_control_characters(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / f"y{CLEAR}.md").write_text(
        "# Deck\n\n## Topic\n\n### Q?\n\n![](gone.png)\n\n### \n", encoding="utf-8"
    )
    db = ["--db", str(tmp_path / "q.db"), "--deck", str(folder)]
    sync = quizapp(*db, "sync")
    assert_no_control(terminal_text(sync))
    assert "y␛[2J.md:" in terminal_text(sync)
    export = quizapp(*db, "export", "anki", "-o", str(tmp_path / "out.apkg"))
    assert export.returncode == 0, terminal_text(export)
    assert_no_control(terminal_text(export))
    assert "y␛[2J.md:5: warning: image not found: gone.png" in terminal_text(export)


def test_cards_table_and_json_show_no_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    db = ["--db", str(tmp_path / "q.db"), "--deck", str(deck)]

    table = quizapp(*db, "cards")
    text = terminal_text(table)
    assert_no_control(text)
    assert "Deck␛]0;pwned␇␛]52;c;cm0gLXJmIH4=␇␛[2J<U+009B>31m" in text, text

    listing = quizapp(*db, "cards", "--json")
    assert_no_control(listing.stdout.decode())
    # The data itself is exact: the JSON escapes carry every character.
    cards = json.loads(listing.stdout)
    assert {c["deck"] for c in cards} == {f"Deck{HOSTILE}"}
    assert all(c["front"].startswith(HOSTILE) for c in cards)


def test_stats_shows_no_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    db = ["--db", str(tmp_path / "q.db"), "--deck", str(deck)]
    text = terminal_text(quizapp(*db, "stats"))
    assert_no_control(text)
    assert "Topic␛]0;pwned␇" in text, text
    listing = quizapp(*db, "stats", "--json")
    assert_no_control(listing.stdout.decode())
    json.loads(listing.stdout)


def test_study_plain_shows_no_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    result = quizapp(
        "--db",
        str(tmp_path / "q.db"),
        "--deck",
        str(deck),
        "study",
        "--plain",
        stdin="\n3\n\n3\nq\n",
    )
    assert result.returncode == 0, terminal_text(result)
    text = terminal_text(result)
    assert_no_control(text)
    assert "␛]0;pwned␇␛]52;c;cm0gLXJmIH4=␇␛[2J<U+009B>31mQuestion one?" in text, text
    assert "Session over: 2 cards reviewed." in text


def test_interview_plain_and_its_report_show_no_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    report = tmp_path / "report.md"
    result = quizapp(
        "--db",
        str(tmp_path / "q.db"),
        "--deck",
        str(deck),
        "interview",
        "--plain",
        "--questions",
        "2",
        "--report",
        str(report),
        stdin="\n1\n\n2\n",
    )
    assert result.returncode == 0, terminal_text(result)
    text = terminal_text(result)
    assert_no_control(text)
    assert "Question one?" in text and "␛]0;pwned␇" in text
    written = report.read_text(encoding="utf-8")
    assert_no_control(written)
    assert "␛]0;pwned␇" in written
    listing = quizapp("--db", str(tmp_path / "q.db"), "interview", "--list")
    assert_no_control(terminal_text(listing))


# -- the TUI ----------------------------------------------------------------------------


def _screen(app: object) -> str:
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text.rstrip() for strip in strips)


async def _wait_for(pilot: object, condition: object, what: str) -> None:
    for _ in range(1000):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError(f"timed out waiting for {what}")


def _screen_after(
    db: Path, deck: Path, start: str, wait_for: str, keys: Sequence[str], then: str = ""
) -> str:
    """What the app shows once ``wait_for`` is on screen, ``keys`` were pressed and
    ``then`` is on screen."""
    from quizapp.study.options import InterviewOptions, StudyOptions
    from quizapp.tui.app import make_app

    app = make_app(
        db_url=f"sqlite:///{db}",
        deck_paths=[deck],
        start=start,  # type: ignore[arg-type]
        study=StudyOptions(seed=1),
        interview=InterviewOptions(seed=1),
    )

    async def scenario() -> str:
        async with app.run_test(size=(160, 40)) as pilot:
            await _wait_for(pilot, lambda: wait_for in _screen(app), wait_for)
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.3)
            await _wait_for(pilot, lambda: then in _screen(app), then)
            return _screen(app)

    return asyncio.run(scenario())


def test_tui_breadcrumb_and_card_show_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    question = _screen_after(tmp_path / "q.db", deck, "study", "Question", [])
    assert_no_control(question)
    # the breadcrumb (deck › topic) and the question, with the sequences made visible
    assert "Deck␛]0;pwned␇␛]52;c;cm0gLXJmIH4=␇␛[2J<U+009B>31m ›" in question, question
    assert "␛[2J<U+009B>31mQuestion one?" in question, question
    answer = _screen_after(tmp_path / "q.db", deck, "study", "Question", ["space"], "Answer one.")
    assert_no_control(answer)
    assert "Answer one." in answer, answer


def test_tui_deck_tree_and_browse_table_show_control_characters(tmp_path: Path) -> None:
    deck = _deck(tmp_path / "decks")
    _old_rows(tmp_path / "q.db", deck)
    home = _screen_after(tmp_path / "q.db", deck, "home", "Deck", [])
    assert_no_control(home)
    assert "Deck␛]0;pwned␇" in home, home
    browse = _screen_after(tmp_path / "q.db", deck, "home", "Deck", ["b"], "Answer one.")
    assert_no_control(browse)
    # the table's question column, and the card's topic shown beside it
    assert "│ ␛]0;pwned␇␛]52;c;cm0gLXJmIH4=␇␛[2J<U+009B>31mQuestion" in browse, browse
    assert "│ Topic␛]0;pwned␇" in browse, browse

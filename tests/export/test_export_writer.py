"""Writing the package: atomic, a clear error for a target that can't be written,
and a modification time newer than the previous export's."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.deckfile.types import CardSpec, ParsedDeck
from quizapp.export.build import ExportOptions, build_package
from quizapp.export.media import MediaFile
from quizapp.export.writer import ExportError, fresh_stamp, recorded_stamp, write_apkg


def _deck(folder: Path, image: bool = False) -> ParsedDeck:
    source = folder / "d.md"
    back = "answer ![](fig.png)" if image else "answer"
    card = CardSpec(
        id="c1",
        deck="D",
        topic=("T",),
        front="Q?",
        back=back,
        kind="basic",
        source=str(source),
        line=3,
    )
    return ParsedDeck(source=str(source), deck="D", cards=(card,))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_zip_anki_reads(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    target = tmp_path / "out.apkg"
    write_apkg(built.package, built.media, target, 1_800_000_000)
    with zipfile.ZipFile(target) as z:
        assert {"collection.anki2", "media"} <= set(z.namelist())
    assert recorded_stamp(target) == 1_800_000_000
    assert _leftovers(tmp_path) == []


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    target = tmp_path / "out.apkg"
    old = os.umask(0o022)
    try:
        write_apkg(built.package, built.media, target, 1_800_000_000)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_stamps_increase_even_within_one_second(tmp_path: Path) -> None:
    target = tmp_path / "out.apkg"
    stamps = [fresh_stamp(target) for _ in range(5)]
    assert stamps == sorted(set(stamps))


def test_stamp_is_newer_than_the_one_in_the_replaced_file(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    target = tmp_path / "out.apkg"
    future = fresh_stamp(target) + 3600
    write_apkg(built.package, built.media, target, future)
    assert fresh_stamp(target) == future + 1


def test_failure_while_writing_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    (tmp_path / "fig.png").write_bytes(b"png")
    built = build_package([_deck(tmp_path, image=True)], ExportOptions())
    target = tmp_path / "out.apkg"
    target.write_bytes(b"previous export")
    # The image disappears between reading the deck and writing the package.
    (tmp_path / "fig.png").unlink()
    with pytest.raises(ExportError) as err:
        write_apkg(built.package, built.media, target, 1_800_000_000)
    assert str(target) in str(err.value)
    assert target.read_bytes() == b"previous export"
    assert _leftovers(tmp_path) == []


def test_target_in_a_missing_folder(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    target = tmp_path / "no" / "such" / "out.apkg"
    with pytest.raises(ExportError, match=r"out\.apkg: .* does not exist"):
        write_apkg(built.package, built.media, target, 1_800_000_000)


def test_target_below_a_file(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="is not a folder"):
        write_apkg(built.package, built.media, tmp_path / "file" / "out.apkg", 1_800_000_000)


def test_target_is_a_directory(tmp_path: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    with pytest.raises(ExportError, match="is a directory"):
        write_apkg(built.package, built.media, tmp_path, 1_800_000_000)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may create files in, root included (immutable when run as root)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        pytest.skip("cannot make a folder read-only for root here")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_unwritable_folder(tmp_path: Path, read_only_dir: Path) -> None:
    built = build_package([_deck(tmp_path)], ExportOptions())
    target = read_only_dir / "out.apkg"
    with pytest.raises(ExportError, match=rf"cannot write {target}: .*(permitted|denied)"):
        write_apkg(built.package, built.media, target, 1_800_000_000)
    assert list(read_only_dir.iterdir()) == []


def test_media_named_as_the_notes_use_them(tmp_path: Path) -> None:
    (tmp_path / "fig.png").write_bytes(b"png")
    built = build_package([_deck(tmp_path, image=True)], ExportOptions())
    [media] = built.media
    assert isinstance(media, MediaFile)
    target = tmp_path / "out.apkg"
    write_apkg(built.package, built.media, target, 1_800_000_000)
    with zipfile.ZipFile(target) as z:
        assert z.read("media") == b'{"0": "%s"}' % media.name.encode()
        assert z.read("0") == b"png"


def test_an_image_swapped_for_a_symlink_after_the_check_is_not_written(tmp_path: Path) -> None:
    (tmp_path / "fig.png").write_bytes(b"png")
    built = build_package([_deck(tmp_path, image=True)], ExportOptions())
    assert [f.name for f in built.media]
    # Between reading the deck and writing the package, the picture becomes a link to a
    # file outside the deck folder.
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (tmp_path / "fig.png").unlink()
    (tmp_path / "fig.png").symlink_to(outside)
    target = tmp_path / "out.apkg"
    with pytest.raises(ExportError, match="image outside the deck folder"):
        write_apkg(built.package, built.media, target, 1_800_000_000)
    assert not target.exists()
    assert _leftovers(tmp_path) == []

"""``quizapp config``: the user's settings, stored in the collection.

Settings live in the database, so they follow the collection to every machine (a
PostgreSQL server, a copied file); :mod:`quizapp.store.settings` defines them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import Any

from quizapp.cli.common import open_database
from quizapp.present.safe import visible_json, visible_line


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add ``config`` to the parser."""
    from quizapp.store.settings import SETTINGS

    names = "\n".join(f"  {s.name:<19} {s.help}" for s in SETTINGS.values())
    p = sub.add_parser(
        "config",
        parents=parents,
        help="show or change settings (daily limits, retention, steps, day start, decks)",
        description="Show or change the settings. They are stored in the collection "
        "(the database), so they follow it to every machine.\n\nsettings:\n" + names,
        epilog="examples:\n"
        "  quizapp config set new-per-day 30\n"
        "  quizapp config set learning-steps 1m 10m 1h\n"
        "  quizapp config set day-starts-at 5\n"
        f"  quizapp config set decks ~/notes{os.pathsep}~/more-notes\n"
        "  quizapp config unset new-per-day       (back to the default)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=run, action="list")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="every setting, its value and what it accepts")
    get = actions.add_parser("get", help="one setting's value")
    get.add_argument("name", metavar="NAME")
    put = actions.add_parser("set", help="change a setting (checked before it is stored)")
    put.add_argument("name", metavar="NAME")
    put.add_argument("value", metavar="VALUE", nargs="+", help="the new value")
    unset = actions.add_parser("unset", help="forget a setting: its default applies again")
    unset.add_argument("name", metavar="NAME")
    for action in (get, put, unset, actions.choices["list"]):
        action.add_argument("--json", action="store_true", help="print one JSON document")


def _entry(name: str, stored: dict[str, Any], settings: Any) -> dict[str, Any]:
    from quizapp.store.settings import SETTINGS

    s = SETTINGS[name]
    value = getattr(settings, s.attr)
    return {
        "name": s.name,
        "value": s.dump(value),
        "default": s.dump(s.default),
        "is_set": s.meta_key in stored,
        "allowed": s.allowed,
        "description": s.help,
    }


def _print_entry(entry: dict[str, Any], problem: str | None) -> None:
    from quizapp.store.settings import SETTINGS

    s = SETTINGS[entry["name"]]
    value = s.show(s.load(entry["value"]))
    note = "" if entry["is_set"] else "  (default)"
    if entry["is_set"] and entry["value"] != entry["default"]:
        note = f"  (default {s.show(s.default)})"
    print(visible_line(f"{s.name:<19} {value}{note}"))
    for line in textwrap.wrap(f"{s.help}; {s.allowed}", 76):
        print(visible_line(f"    {line}"))
    if problem:
        print(visible_line(f"    ! {problem}; the default is used"))


def run(args: argparse.Namespace) -> int:
    """Show or change settings."""
    from quizapp.store.settings import SettingError, meta_values, stored_problems
    from quizapp.store.settings_db import find_setting, remove_setting, save_setting
    from quizapp.store.sqlfetch import reading

    action = args.action or "list"
    db = open_database(args)
    try:
        if action == "set":
            joiner = os.pathsep if find_setting(args.name).name == "decks" else " "
            save_setting(db, args.name, joiner.join(args.value))
        elif action == "unset":
            remove_setting(db, args.name)
        names = [find_setting(args.name).name] if action != "list" else None
    except SettingError as exc:
        name = getattr(args, "name", "")
        print(visible_line(f"quizapp config: {name}: {exc}"), file=sys.stderr)
        return 2
    from quizapp.store.settings import SETTINGS, settings_from_values

    with reading(db) as fetch:
        stored = meta_values(fetch)
    settings = settings_from_values(stored)
    problems = stored_problems(stored)
    entries = [_entry(n, stored, settings) for n in (names or SETTINGS)]
    if args.json:
        doc: Any = entries[0] if names else {e["name"]: e for e in entries}
        print(visible_json(json.dumps(doc, ensure_ascii=False, indent=2)))
    elif action == "get":
        s = SETTINGS[entries[0]["name"]]
        print(visible_line(s.show(getattr(settings, s.attr))))
    else:
        for entry in entries:
            _print_entry(entry, problems.get(entry["name"]))
        if action == "list":
            print(
                "\nChange one with `quizapp config set NAME VALUE`;\n"
                "`quizapp config unset NAME` brings its default back."
            )
    return 0

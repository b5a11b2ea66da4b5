"""``quizapp calc``: run a reference model from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.deckfile.catalog import CATALOG, ModelInfo
from quizapp.deckfile.rules import ParamError, resolve_params
from quizapp.grading.grade import format_answer
from quizapp.grading.models import compute, derivation

_EPILOG = """\
examples:
  quizapp calc gru_params m=256 n=512
  quizapp calc lstm_params m=128 n=256 layers=2 bidirectional=1
  quizapp calc conv_output n=32 f=5 p=2 s=1
  quizapp calc textcnn_features sizes=2,3,4 filters=100 embed=300 seq_len=50
  quizapp calc lstm_step x=1 h=0 c=0 wi=0.5 wf=0.5 wg=0.5 wo=0.5 \\
      ui=0 uf=0 ug=0 uo=0 bi=0 bf=0 bg=0 bo=0
  quizapp calc mha_params d=512 heads=8 --json
  quizapp calc --list

Parameters with a default may be left out; `quizapp calc --list` shows them all.
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "calc",
        parents=parents,
        help="run a reference model (parameter counts, conv sizes, one LSTM step)",
        description="Compute an answer with the same PyTorch reference model that grades "
        "computational cards, and show how it is derived.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("model", nargs="?", metavar="MODEL", help="model name, see --list")
    p.add_argument(
        "assignments",
        nargs="*",
        metavar="k=v",
        help="parameter values, e.g. m=256 n=512",
    )
    p.add_argument("--list", action="store_true", help="list the models and their parameters")
    p.add_argument(
        "--json",
        action="store_true",
        help='print one JSON document: {"model": …, "params": {…}, "answer": …}',
    )
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"quizapp calc: error: {message}", file=sys.stderr)
    return 2


def _model_json(info: ModelInfo) -> dict[str, object]:
    return {
        "model": info.name,
        "summary": info.summary,
        "answer": info.answer,
        "parts": list(info.parts),
        "tolerance": info.tolerance,
        "params": [
            {
                "name": p.name,
                "kind": p.kind,
                "required": p.required,
                "default": p.default,
                "help": p.help,
            }
            for p in info.params
        ],
    }


def _print_list(as_json: bool) -> int:
    if as_json:
        print(json.dumps([_model_json(info) for info in CATALOG.values()], indent=2))
        return 0
    for info in CATALOG.values():
        print(f"{info.name}  {info.summary}")
        names = [p.name if p.required else f"{p.name}={p.default}" for p in info.params]
        width = max(len(n) for n in names)
        for name, p in zip(names, info.params, strict=True):
            print(f"    {name:<{width}}  {p.help}".rstrip())
        if info.answer == "parts":
            print(f"    answer: {', '.join(info.parts)} (within ±{info.tolerance:g})")
        print()
    print("Example: quizapp calc gru_params m=256 n=512")
    return 0


def _parse_assignments(items: list[str]) -> dict[str, str] | str:
    """``["m=256", "n=512"]`` → ``{"m": "256", "n": "512"}``, or an error message."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            return f"expected k=v, got {item!r} (for example m=256)"
        if name in values:
            return f"{name} is given twice"
        values[name] = value.strip()
    return values


def run(args: argparse.Namespace) -> int:
    """Run the command."""
    if args.list:
        if args.model is not None:
            return _fail("--list takes no model")
        return _print_list(args.json)
    if args.model is None:
        return _fail(
            "name a model, e.g. quizapp calc gru_params m=256 n=512 "
            "(quizapp calc --list shows them all)"
        )

    assignments = _parse_assignments(args.assignments)
    if isinstance(assignments, str):
        return _fail(assignments)
    try:
        params = resolve_params(args.model, assignments)
    except ParamError as exc:
        return _fail(str(exc))

    answer = compute(args.model, params)
    if args.json:
        print(json.dumps({"model": args.model, "params": params, "answer": answer}))
        return 0
    print(format_answer(answer))
    for line in derivation(args.model, params).splitlines():
        print(f"  {line}")
    return 0

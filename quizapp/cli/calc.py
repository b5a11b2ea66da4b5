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
  quizapp calc decoder_params vocab=32000 d=4096 layers=32 heads=32 kv_heads=8 \\
      ff=14336 ff_kind=swiglu norm=rmsnorm bias=0 tied=0
  quizapp calc kv_cache_bytes seq=4k layers=32 kv_heads=8 head_dim=128
  quizapp calc train_memory_bytes params=7B precision=mixed optimizer=adam
  quizapp calc --list

Parameters with a default may be left out; `quizapp calc --list` shows them all.
Sizes may carry units: 7B, 6.7e9, 1.5k, 4k (= 4,000), 512 MiB, 2 GiB.
"""


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    """Add the command to the parser."""
    p = sub.add_parser(
        "calc",
        parents=parents,
        help="run a reference model (parameter counts, conv sizes, one LSTM step, "
        "LLM memory and FLOPs)",
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
        "relative_tolerance": info.relative_tolerance,
        "unit": info.unit,
        "params": [
            {
                "name": p.name,
                "kind": p.kind,
                "required": p.required,
                "default": p.default,
                "help": p.help,
                "choices": list(p.choices),
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
            choices = f" [{'|'.join(map(str, p.choices))}]" if p.choices else ""
            print(f"    {name:<{width}}  {p.help}{choices}".rstrip())
        print(f"    answer: {_answer_rule(info)}")
        print()
    print("Example: quizapp calc gru_params m=256 n=512")
    return 0


def _answer_rule(info: ModelInfo) -> str:
    """What the model answers and how close a typed answer must be."""
    what = {"params": "a parameter count", "bytes": "bytes", "FLOPs": "FLOPs"}.get(
        info.unit, "a whole number"
    )
    if info.answer == "parts":
        return f"{', '.join(info.parts)}, within ±{info.tolerance:g}"
    if info.relative_tolerance:
        return f"{what}, within ±{info.relative_tolerance * 100:g} %"
    return f"{what}, exact"


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
    print(format_answer(answer, CATALOG[args.model].unit))
    for line in derivation(args.model, params).splitlines():
        print(f"  {line}")
    return 0

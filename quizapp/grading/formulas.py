"""Closed forms of the reference models, and the derivations shown after grading.

Pure Python, no torch. The grader's truth is what the real ``torch.nn`` module says
(:func:`quizapp.grading.models.compute`); the closed forms here explain that number to
the user and are checked against torch by the property tests, so a formula that drifts
from PyTorch fails a test instead of teaching the wrong thing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from quizapp.deckfile.rules import Params, parse_sizes, resolve_params
from quizapp.grading import sizing

#: The answer of a reference model: a count, or named real parts such as ``{"c", "h"}``.
Answer = int | dict[str, float]

#: gates per recurrent cell, and their names as PyTorch orders them in ``weight_ih``
_GATES = {"gru_params": (3, "r, z, n"), "lstm_params": (4, "i, f, g, o"), "rnn_params": (1, "")}


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


def _i(p: Params, name: str) -> int:
    return int(p[name])


def _f(p: Params, name: str) -> float:
    return float(p[name])


def _n(value: int) -> str:
    """A count with thousands separators, as the answer is shown."""
    return f"{value:,}"


def _r(value: float, *, factor: bool = False) -> str:
    """A real with 4 decimals and a ``−`` sign; in parentheses as a negative ``factor``."""
    text = f"{abs(value):.4f}"
    if text == "0.0000" or value >= 0:
        return text
    return f"(−{text})" if factor else f"−{text}"


# --- recurrent networks --------------------------------------------------------------


def _rnn_layer(gates: int, n: int, inp: int, bias: int) -> int:
    return gates * (n * inp + n * n + (2 * n if bias else 0))


def _rnn_count(model: str, p: Params) -> int:
    gates = _GATES[model][0]
    m, n, layers = _i(p, "m"), _i(p, "n"), _i(p, "layers")
    dirs = 2 if _i(p, "bidirectional") else 1
    bias = _i(p, "bias")
    first = _rnn_layer(gates, n, m, bias)
    later = _rnn_layer(gates, n, dirs * n, bias)
    return dirs * (first + (layers - 1) * later)


def _rnn_text(gates: int, n: int, inp: int, inp_sym: str, bias: int) -> str:
    """``3·(n·m + n·n + 2n) = 3·(512·256 + 512·512 + 2·512) = 1,182,720``."""
    sym = f"n·{inp_sym} + n·n" + (" + 2n" if bias else "")
    num = f"{n}·{inp} + {n}·{n}" + (f" + 2·{n}" if bias else "")
    value = _n(_rnn_layer(gates, n, inp, bias))
    if gates == 1:
        return f"{sym} = {num} = {value}"
    return f"{gates}·({sym}) = {gates}·({num}) = {value}"


def _rnn_derivation(model: str, p: Params) -> str:
    gates, names = _GATES[model]
    m, n, layers = _i(p, "m"), _i(p, "n"), _i(p, "layers")
    dirs = 2 if _i(p, "bidirectional") else 1
    bias = _i(p, "bias")
    total = _rnn_count(model, p)
    lines: list[str] = []
    later_sym = "2n" if dirs == 2 else "n"
    if layers == 1 and dirs == 1:
        lines.append(_rnn_text(gates, n, m, "m", bias))
    else:
        lines.append("layer 1: " + _rnn_text(gates, n, m, "m", bias))
        if layers > 1:
            span = "layer 2" if layers == 2 else f"layers 2–{layers}"
            lines.append(
                f"{span} (input {later_sym}): "
                + _rnn_text(gates, n, dirs * n, later_sym, bias)
                + ("" if layers == 2 else " each")
            )
        first = _n(_rnn_layer(gates, n, m, bias))
        later = _n(_rnn_layer(gates, n, dirs * n, bias))
        inner = {1: first, 2: f"{first} + {later}"}.get(layers, f"{first} + {layers - 1}·{later}")
        lines.append(
            f"total = {dirs}·({inner}) = {_n(total)}"
            if dirs == 2
            else f"total = {inner} = {_n(total)}"
        )
    if gates > 1:
        biases = f", bias_ih and bias_hh {gates}n each" if bias else ", no biases"
        lines.append(
            f"{gates} gates ({names}): weight_ih {gates}n×input, weight_hh {gates}n×n{biases}"
        )
    if bias:
        single = total - dirs * layers * gates * n
        textbook = "n·m + n·n + n" if gates == 1 else f"{gates}·(n·m + n·n + n)"
        lines.append(
            f"(with one bias per gate, the textbook form {textbook}, the count would be "
            f"{_n(single)}; PyTorch keeps two bias vectors, b_ih and b_hh)"
        )
    return "\n".join(lines)


# --- convolutions ----------------------------------------------------------------------


def _conv_output(p: Params) -> int:
    n, f, pad, s, d = (_i(p, k) for k in ("n", "f", "p", "s", "d"))
    return (n + 2 * pad - d * (f - 1) - 1) // s + 1


def _conv_output_derivation(p: Params) -> str:
    n, f, pad, s, d = (_i(p, k) for k in ("n", "f", "p", "s", "d"))
    inner = n + 2 * pad - d * (f - 1) - 1
    line = (
        f"⌊(n + 2p − d·(f−1) − 1)/s⌋ + 1 = ⌊({n} + 2·{pad} − {d}·({f}−1) − 1)/{s}⌋ + 1"
        f" = ⌊{inner}/{s}⌋ + 1 = {_n(_conv_output(p))}"
    )
    if d == 1:
        line += "\n(with d = 1 this is the familiar ⌊(n + 2p − f)/s⌋ + 1)"
    return line


def _conv_params(p: Params) -> int:
    c_in, c_out, f, bias = (_i(p, k) for k in ("c_in", "c_out", "f", "bias"))
    return c_out * c_in * f * f + (c_out if bias else 0)


def _conv_params_derivation(p: Params) -> str:
    c_in, c_out, f, bias = (_i(p, k) for k in ("c_in", "c_out", "f", "bias"))
    if bias:
        return (
            f"c_out·c_in·f·f + c_out = {c_out}·{c_in}·{f}·{f} + {c_out} = "
            f"{_n(_conv_params(p))}\n(one f×f kernel per input channel for each output "
            "channel, plus one bias per output channel)"
        )
    return f"c_out·c_in·f·f = {c_out}·{c_in}·{f}·{f} = {_n(_conv_params(p))}"


def _textcnn(p: Params) -> int:
    return len(parse_sizes(str(p["sizes"]))) * _i(p, "filters")


def _textcnn_derivation(p: Params) -> str:
    sizes = parse_sizes(str(p["sizes"]))
    filters, embed, seq_len = _i(p, "filters"), _i(p, "embed"), _i(p, "seq_len")
    positions = ", ".join(str(seq_len - k + 1) for k in sizes)
    return (
        f"filters·len(sizes) = {filters}·{len(sizes)} = {_n(_textcnn(p))}\n"
        f"(each Conv1d({embed}, {filters}, k) slides over {seq_len} tokens: "
        f"{positions} positions for k = {', '.join(map(str, sizes))}; max-pool over time "
        f"keeps 1 value per filter, and the {len(sizes)} results are concatenated)"
    )


# --- attention and embeddings -------------------------------------------------------------


def _mha(d: int, bias: int) -> int:
    return 4 * d * d + (4 * d if bias else 0)


def _mha_derivation(p: Params) -> str:
    d, heads, bias = _i(p, "d"), _i(p, "heads"), _i(p, "bias")
    total = _n(_mha(d, bias))
    head_note = f"the {heads} heads split d into {heads}×{d // heads}; they add no parameters"
    if bias:
        return (
            f"4·d·d + 4·d = 4·{d}·{d} + 4·{d} = {total}\n"
            f"(W_q, W_k, W_v and W_o, each d×d with a bias of d; {head_note})"
        )
    return f"4·d·d = 4·{d}·{d} = {total}\n(W_q, W_k, W_v and W_o, each d×d; {head_note})"


def _encoder(p: Params) -> int:
    d, ff = _i(p, "d"), _i(p, "ff")
    return _mha(d, 1) + (d * ff + ff) + (ff * d + d) + 2 * 2 * d


def _encoder_derivation(p: Params) -> str:
    d, ff = _i(p, "d"), _i(p, "ff")
    return (
        "(4·d·d + 4·d) + (d·ff + ff) + (ff·d + d) + 2·2·d\n"
        f"= (4·{d}·{d} + 4·{d}) + ({d}·{ff} + {ff}) + ({ff}·{d} + {d}) + 2·2·{d}\n"
        f"= {_n(_mha(d, 1))} + {_n(d * ff + ff)} + {_n(ff * d + d)} + {_n(4 * d)}"
        f" = {_n(_encoder(p))}\n"
        "(self-attention + linear1 + linear2 + two LayerNorms with a weight and a bias "
        "of d each)"
    )


def _embedding_derivation(p: Params) -> str:
    vocab, dim = _i(p, "vocab"), _i(p, "dim")
    return f"vocab·dim = {vocab}·{dim} = {_n(vocab * dim)}\n(one row of dim per token)"


# --- one LSTM step ----------------------------------------------------------------------------


def _lstm_gates(p: Params) -> dict[str, float]:
    x, h = _f(p, "x"), _f(p, "h")

    def pre(g: str) -> float:
        return _f(p, f"w{g}") * x + _f(p, f"u{g}") * h + _f(p, f"b{g}")

    return {
        "i": _sigmoid(pre("i")),
        "f": _sigmoid(pre("f")),
        "g": math.tanh(pre("g")),
        "o": _sigmoid(pre("o")),
    }


def _lstm_step(p: Params) -> dict[str, float]:
    gate = _lstm_gates(p)
    c = gate["f"] * _f(p, "c") + gate["i"] * gate["g"]
    return {"c": c, "h": gate["o"] * math.tanh(c)}


def _num(value: float) -> str:
    """A factor in a product: negative values in parentheses, ``−`` as the sign."""
    text = f"{abs(value):g}"
    return f"(−{text})" if value < 0 else text


def _sum(terms: list[tuple[float, str]]) -> str:
    """``a·b + c·d − e``: signs of the leading factors folded into the operators."""
    out = ""
    for coef, rest in terms:
        sign = "−" if coef < 0 else "+"
        body = f"{abs(coef):g}{rest}"
        out = (f"−{body}" if sign == "−" else body) if not out else f"{out} {sign} {body}"
    return out


def _lstm_step_derivation(p: Params) -> str:
    x, h, c_prev = _f(p, "x"), _f(p, "h"), _f(p, "c")
    gate = _lstm_gates(p)
    out = _lstm_step(p)
    lines = []
    for g, fn in (("i", "σ"), ("f", "σ"), ("g", "tanh"), ("o", "σ")):
        w, u, b = _f(p, f"w{g}"), _f(p, f"u{g}"), _f(p, f"b{g}")
        pre = w * x + u * h + b
        numbers = _sum([(w, f"·{_num(x)}"), (u, f"·{_num(h)}"), (b, "")])
        lines.append(
            f"{g} = {fn}(w{g}·x + u{g}·h + b{g}) = {fn}({numbers}) = {fn}({_r(pre)})"
            f" = {_r(gate[g])}"
        )
    lines.append(
        f"c = f·c + i·g = {_r(gate['f'])}·{_num(c_prev)} + {_r(gate['i'])}·"
        f"{_r(gate['g'], factor=True)} = {_r(out['c'])}"
    )
    lines.append(f"h = o·tanh(c) = {_r(gate['o'])}·tanh({_r(out['c'])}) = {_r(out['h'])}")
    lines.append("(b* are the full gate biases: PyTorch's bias_ih, with bias_hh = 0)")
    return "\n".join(lines)


# --- normalization, pooling, receptive fields ------------------------------------------


def _layernorm_derivation(p: Params) -> str:
    d = _i(p, "d")
    if _i(p, "bias"):
        return f"2·d = 2·{d:,} = {_n(2 * d)}\n(a scale γ and a shift β per feature)"
    return f"d = {_n(d)}\n(a scale γ per feature, no bias)"


def _batchnorm_derivation(p: Params) -> str:
    c = _i(p, "c")
    buffers = (
        f"running_mean and running_var ({c:,} each) and num_batches_tracked are buffers, "
        "updated by forward passes, not parameters"
    )
    if _i(p, "affine"):
        return f"2·c = 2·{c:,} = {_n(2 * c)}\n(γ and β per channel; {buffers})"
    return f"0\n(affine=False: no γ, no β; {buffers})"


def _pool_output(p: Params) -> int:
    n, f, pad = _i(p, "n"), _i(p, "f"), _i(p, "p")
    s = _i(p, "s") or f
    if not _i(p, "ceil"):
        return (n + 2 * pad - f) // s + 1
    out = -(-(n + 2 * pad - f) // s) + 1
    # ceil_mode: the last window must start inside the input or its left padding
    return out - 1 if (out - 1) * s >= n + pad else out


def _pool_output_derivation(p: Params) -> str:
    n, f, pad = _i(p, "n"), _i(p, "f"), _i(p, "p")
    s = _i(p, "s") or f
    stride = f"s = {s}" + (" (the default stride is the kernel size)" if not _i(p, "s") else "")
    if not _i(p, "ceil"):
        return (
            f"⌊(n + 2p − f)/s⌋ + 1 = ⌊({n} + 2·{pad} − {f})/{s}⌋ + 1 = {_n(_pool_output(p))}"
            f"\n({stride})"
        )
    return (
        f"⌈(n + 2p − f)/s⌉ + 1 = ⌈({n} + 2·{pad} − {f})/{s}⌉ + 1, less 1 if the last window "
        f"would start past the input = {_n(_pool_output(p))}\n({stride}; ceil_mode=True)"
    )


def _receptive_field(p: Params) -> int:
    layers, f, s, d = (_i(p, k) for k in ("layers", "f", "s", "d"))
    field, jump = 1, 1
    for _ in range(layers):
        field += (f - 1) * d * jump
        jump *= s
    return field


def _receptive_field_derivation(p: Params) -> str:
    layers, f, s, d = (_i(p, k) for k in ("layers", "f", "s", "d"))
    total = _n(_receptive_field(p))
    if s == 1:
        return (
            f"1 + L·(f − 1)·d = 1 + {layers}·({f} − 1)·{d} = {total}\n"
            "(each stride-1 layer widens the field by (f − 1)·d)"
        )
    return (
        f"1 + (f − 1)·d·(1 + s + … + s^(L−1)) = 1 + ({f} − 1)·{d}·(s^L − 1)/(s − 1)"
        f" with s = {s}, L = {layers}\n= {total}\n"
        "(layer k sees inputs s^(k−1) apart: the strides before it multiply its step)"
    )


_FORMULAS: dict[str, Callable[[Params], Answer]] = {
    "gru_params": lambda p: _rnn_count("gru_params", p),
    "lstm_params": lambda p: _rnn_count("lstm_params", p),
    "rnn_params": lambda p: _rnn_count("rnn_params", p),
    "conv_output": _conv_output,
    "conv_params": _conv_params,
    "textcnn_features": _textcnn,
    "lstm_step": _lstm_step,
    "mha_params": lambda p: _mha(_i(p, "d"), _i(p, "bias")),
    "encoder_layer_params": _encoder,
    "embedding_params": lambda p: _i(p, "vocab") * _i(p, "dim"),
    "layernorm_params": lambda p: _i(p, "d") * (2 if _i(p, "bias") else 1),
    "batchnorm_params": lambda p: 2 * _i(p, "c") if _i(p, "affine") else 0,
    "pool_output": _pool_output,
    "receptive_field": _receptive_field,
    **sizing.FORMULAS,
}

_DERIVATIONS: dict[str, Callable[[Params], str]] = {
    "gru_params": lambda p: _rnn_derivation("gru_params", p),
    "lstm_params": lambda p: _rnn_derivation("lstm_params", p),
    "rnn_params": lambda p: _rnn_derivation("rnn_params", p),
    "conv_output": _conv_output_derivation,
    "conv_params": _conv_params_derivation,
    "textcnn_features": _textcnn_derivation,
    "lstm_step": _lstm_step_derivation,
    "mha_params": _mha_derivation,
    "encoder_layer_params": _encoder_derivation,
    "embedding_params": _embedding_derivation,
    "layernorm_params": _layernorm_derivation,
    "batchnorm_params": _batchnorm_derivation,
    "pool_output": _pool_output_derivation,
    "receptive_field": _receptive_field_derivation,
    **sizing.DERIVATIONS,
}


def formula(model: str, params: Mapping[str, object]) -> Answer:
    """The closed-form answer of ``model`` in plain Python (a cross-check of torch)."""
    return _FORMULAS[model](resolve_params(model, params))


def derivation(model: str, params: Mapping[str, object]) -> str:
    """The closed form of ``model`` with the numbers filled in, one step per line.

    For example ``3·(n·m + n·n + 2n) = 3·(512·256 + 512·512 + 2·512) = 1,182,720`` for
    ``gru_params`` with m=256, n=512.
    """
    return _DERIVATIONS[model](resolve_params(model, params))

"""Reference models: the grader's truth comes from the real ``torch.nn`` modules.

Each model builds the module a question is about and reads the answer off it: parameter
counts from ``p.numel()`` of a module built on the ``meta`` device (shapes only, no
memory, so ``nn.GRU(4096, 4096, num_layers=4)`` costs nothing), output sizes from a
forward pass of a meta tensor, and one LSTM step from a real 1-unit ``nn.LSTMCell``.

torch is imported inside the functions only: start-up and every non-computational card
stay free of it. :func:`warm_up` imports it ahead of time (the UI calls it in a
background worker when a computational card is near).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.rules import Params, parse_sizes, resolve_params
from quizapp.grading import sizing, transformer
from quizapp.grading.formulas import Answer, derivation, formula

if TYPE_CHECKING:
    from torch import nn

__all__ = ["Answer", "compute", "derivation", "formula", "warm_up"]

_IMPORT_LOCK = threading.Lock()


def _import_torch() -> None:
    """Import torch once, without the warning it prints when NumPy is absent.

    quizapp never hands torch an array, so the missing NumPy is harmless; the warning
    would otherwise surface (or fail a run with warnings as errors) on the first
    computational card. The lock keeps a background warm-up and a grade from racing.
    """
    with _IMPORT_LOCK, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
        import torch  # noqa: F401


def _count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _i(p: Params, name: str) -> int:
    return int(p[name])


def _rnn(kind: str) -> Callable[[Params], Answer]:
    def build(p: Params) -> int:
        from torch import nn

        classes: dict[str, Callable[..., nn.Module]] = {
            "gru": nn.GRU,
            "lstm": nn.LSTM,
            "rnn": nn.RNN,
        }
        module = classes[kind](
            _i(p, "m"),
            _i(p, "n"),
            num_layers=_i(p, "layers"),
            bidirectional=bool(_i(p, "bidirectional")),
            bias=bool(_i(p, "bias")),
            device="meta",
        )
        return _count(module)

    return build


def _conv_output(p: Params) -> int:
    import torch
    from torch import nn

    n = _i(p, "n")
    conv = nn.Conv2d(
        1,
        1,
        _i(p, "f"),
        stride=_i(p, "s"),
        padding=_i(p, "p"),
        dilation=_i(p, "d"),
        device="meta",
    )
    out = conv(torch.empty(1, 1, n, n, device="meta"))
    height, width = out.shape[-2:]
    if height != width:  # a square input through a square kernel stays square
        raise AssertionError(f"non-square conv output {tuple(out.shape)}")
    return int(height)


def _conv_params(p: Params) -> int:
    from torch import nn

    conv = nn.Conv2d(
        _i(p, "c_in"), _i(p, "c_out"), _i(p, "f"), bias=bool(_i(p, "bias")), device="meta"
    )
    return _count(conv)


def _textcnn_features(p: Params) -> int:
    import torch
    from torch import nn

    embed, filters, seq_len = _i(p, "embed"), _i(p, "filters"), _i(p, "seq_len")
    # one sentence, embedded: (batch, channels = embedding size, time = tokens)
    sentence = torch.empty(1, embed, seq_len, device="meta")
    width = 0
    for size in parse_sizes(str(p["sizes"])):
        feature_map = nn.Conv1d(embed, filters, size, device="meta")(sentence)
        pooled = feature_map.amax(dim=2)  # max-pool over time: one value per filter
        # the sentence vector concatenates the pooled maps; summing their widths gives
        # its length without torch.cat, whose first meta call costs half a second
        width += int(pooled.shape[1])
    return width


def _lstm_step(p: Params) -> dict[str, float]:
    import torch
    from torch import nn

    cell = nn.LSTMCell(1, 1, dtype=torch.float64)
    # PyTorch stacks the gates as (i, f, g, o); the question's b* are the whole gate
    # biases, so they go to bias_ih and bias_hh stays 0.
    weights = {
        "weight_ih": ("wi", "wf", "wg", "wo"),
        "weight_hh": ("ui", "uf", "ug", "uo"),
        "bias_ih": ("bi", "bf", "bg", "bo"),
    }
    with torch.no_grad():
        for attr, names in weights.items():
            values = torch.tensor([float(p[name]) for name in names], dtype=torch.float64)
            getattr(cell, attr).copy_(values.view_as(getattr(cell, attr)))
        cell.bias_hh.zero_()
        x = torch.tensor([[float(p["x"])]], dtype=torch.float64)
        h0 = torch.tensor([[float(p["h"])]], dtype=torch.float64)
        c0 = torch.tensor([[float(p["c"])]], dtype=torch.float64)
        h1, c1 = cell(x, (h0, c0))
    return {"c": float(c1.item()), "h": float(h1.item())}


def _mha_params(p: Params) -> int:
    from torch import nn

    mha = nn.MultiheadAttention(_i(p, "d"), _i(p, "heads"), bias=bool(_i(p, "bias")), device="meta")
    return _count(mha)


def _encoder_layer_params(p: Params) -> int:
    from torch import nn

    layer = nn.TransformerEncoderLayer(_i(p, "d"), _i(p, "heads"), _i(p, "ff"), device="meta")
    return _count(layer)


def _embedding_params(p: Params) -> int:
    from torch import nn

    return _count(nn.Embedding(_i(p, "vocab"), _i(p, "dim"), device="meta"))


def _layernorm_params(p: Params) -> int:
    from torch import nn

    return _count(nn.LayerNorm(_i(p, "d"), bias=bool(_i(p, "bias")), device="meta"))


def _batchnorm_params(p: Params) -> int:
    from torch import nn

    # parameters() leaves out the running statistics: they are buffers
    return _count(nn.BatchNorm2d(_i(p, "c"), affine=bool(_i(p, "affine")), device="meta"))


def _pool_output(p: Params) -> int:
    import torch
    from torch import nn

    n, f = _i(p, "n"), _i(p, "f")
    pool = nn.MaxPool2d(
        f, stride=_i(p, "s") or f, padding=_i(p, "p"), ceil_mode=bool(_i(p, "ceil"))
    )
    return int(pool(torch.empty(1, 1, n, n, device="meta")).shape[-1])


def _kv_cache_bytes(p: Params) -> int:
    return sum(k.nbytes + v.nbytes for k, v in transformer.kv_cache(p))


def _attention_scores_bytes(p: Params) -> int:
    return transformer.nbytes(transformer.attention_scores(p), _i(p, "dtype_bytes"))


_MODELS: dict[str, Callable[[Params], Answer]] = {
    "gru_params": _rnn("gru"),
    "lstm_params": _rnn("lstm"),
    "rnn_params": _rnn("rnn"),
    "conv_output": _conv_output,
    "conv_params": _conv_params,
    "textcnn_features": _textcnn_features,
    "lstm_step": _lstm_step,
    "mha_params": _mha_params,
    "encoder_layer_params": _encoder_layer_params,
    "embedding_params": _embedding_params,
    "decoder_params": transformer.counted(transformer.decoder),
    "encoder_params": transformer.counted(transformer.encoder),
    "lora_params": transformer.counted(transformer.lora_adapters),
    "kv_cache_bytes": _kv_cache_bytes,
    "attention_scores_bytes": _attention_scores_bytes,
    "layernorm_params": _layernorm_params,
    "batchnorm_params": _batchnorm_params,
    "pool_output": _pool_output,
    # No module holds these: closed forms, which the tests check against real modules
    # (optimizer state after a step, FLOPs counted during forward and backward passes,
    # the gradient of one output reaching back through the stacked convolutions).
    "train_memory_bytes": sizing.train_memory_bytes,
    "flops_per_token": sizing.flops_per_token,
    "train_flops": sizing.train_flops,
    "receptive_field": lambda p: int(formula("receptive_field", p)),  # type: ignore[arg-type]
}


def compute(model: str, params: Mapping[str, object]) -> Answer:
    """The answer of ``model`` for ``params``, read off the real torch module.

    ``params`` may leave out parameters with defaults and may hold strings (they are
    parsed per the catalog). Raises :class:`~quizapp.deckfile.rules.ParamError` for an
    unknown model or a parameter set PyTorch would refuse. Returns an ``int`` for counts
    and sizes, ``{"c": ..., "h": ...}`` for ``lstm_step``.
    """
    resolved = resolve_params(model, params)
    _import_torch()
    return _MODELS[model](resolved)


#: small, sensible parameters for every model, used to warm each code path up
_WARM_UP_PARAMS: dict[str, dict[str, object]] = {
    "gru_params": {"m": 2, "n": 2},
    "lstm_params": {"m": 2, "n": 2},
    "rnn_params": {"m": 2, "n": 2},
    "conv_output": {"n": 4, "f": 3},
    "conv_params": {"c_in": 1, "c_out": 1, "f": 1},
    "textcnn_features": {"sizes": "1,2", "filters": 2, "embed": 2, "seq_len": 2},
    "lstm_step": dict.fromkeys(CATALOG["lstm_step"].param_names, 0.5),
    "mha_params": {"d": 2, "heads": 1},
    "encoder_layer_params": {"d": 2, "heads": 1, "ff": 2},
    "embedding_params": {"vocab": 2, "dim": 2},
    "decoder_params": {"vocab": 2, "d": 2, "layers": 1, "heads": 1, "ff": 2},
    "encoder_params": {"vocab": 2, "d": 2, "layers": 1, "heads": 1, "ff": 2},
    "lora_params": {"d": 2, "layers": 1, "r": 1},
    "kv_cache_bytes": {"seq": 2, "layers": 1, "kv_heads": 1, "head_dim": 2},
    "attention_scores_bytes": {"heads": 1, "seq": 2},
    "layernorm_params": {"d": 2},
    "batchnorm_params": {"c": 2},
    "pool_output": {"n": 4, "f": 2},
    "train_memory_bytes": {"params": 2},
    "flops_per_token": {"params": 2},
    "train_flops": {"params": 2, "tokens": 2},
    "receptive_field": {"layers": 2, "f": 3},
}


def warm_up() -> None:
    """Import torch and run every model once on tiny inputs, so the first grade is fast.

    Importing torch is most of the cost (under a second); the first meta-device forward
    pass of a convolution also loads torch's shape rules (about 0.2 s more).
    """
    for model, params in _WARM_UP_PARAMS.items():
        compute(model, params)

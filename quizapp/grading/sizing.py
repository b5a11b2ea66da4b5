"""Closed forms of transformer sizing: parameters, KV cache, memory, FLOPs, LoRA.

Pure Python, no torch, like :mod:`quizapp.grading.formulas` (which serves these to the
grader): the derivation a user reads after answering, with the config's numbers filled
in. The parameter counts are checked against modules built on the meta device
(:mod:`quizapp.grading.transformer`) by the tests, and reproduce the published counts
of GPT-2, BERT, Llama-2, Mistral and TinyLlama.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizapp.deckfile.rules import Params
from quizapp.deckfile.units import with_unit


def _i(p: Params, name: str) -> int:
    return int(p[name])


def _n(value: int) -> str:
    return f"{value:,}"


# --- decoder-only transformers --------------------------------------------------------


@dataclass(frozen=True)
class DecoderShape:
    """The parts of a decoder-only transformer, counted per block where they repeat."""

    embeddings: int
    positions: int
    attention: int
    ffn: int
    norms: int
    final_norm: int
    head: int
    layers: int

    @property
    def block(self) -> int:
        """Parameters of one transformer block."""
        return self.attention + self.ffn + self.norms

    @property
    def total(self) -> int:
        """Parameters of the whole model."""
        return (
            self.embeddings
            + self.positions
            + self.layers * self.block
            + self.final_norm
            + self.head
        )


def _kv_width(p: Params) -> tuple[int, int]:
    """(head size, width of the key or the value projection)."""
    head_dim = _i(p, "d") // _i(p, "heads")
    kv_heads = _i(p, "kv_heads") or _i(p, "heads")
    return head_dim, kv_heads * head_dim


def decoder_shape(p: Params) -> DecoderShape:
    """Every part of the decoder of config ``p``."""
    vocab, d, ff, bias = _i(p, "vocab"), _i(p, "d"), _i(p, "ff"), _i(p, "bias")
    _, kv = _kv_width(p)
    attention = 2 * d * d + 2 * d * kv + (2 * d + 2 * kv if bias else 0)
    if p["ff_kind"] == "swiglu":
        ffn = 3 * d * ff + (2 * ff + d if bias else 0)
    else:
        ffn = 2 * d * ff + (ff + d if bias else 0)
    norm = 2 * d if p["norm"] == "layernorm" else d
    return DecoderShape(
        embeddings=vocab * d,
        positions=_i(p, "ctx") * d,
        attention=attention,
        ffn=ffn,
        norms=2 * norm,
        final_norm=norm,
        head=0 if _i(p, "tied") else vocab * d,
        layers=_i(p, "layers"),
    )


def _decoder_derivation(p: Params) -> str:
    s = decoder_shape(p)
    vocab, d, heads, ff, bias = (_i(p, k) for k in ("vocab", "d", "heads", "ff", "bias"))
    head_dim, kv = _kv_width(p)
    kv_heads = _i(p, "kv_heads") or heads
    kind = {1: "multi-query", heads: "multi-head"}.get(kv_heads, "grouped-query")
    norm = "LayerNorm (weight, bias)" if p["norm"] == "layernorm" else "RMSNorm (weight)"
    lines = [
        f"head_dim = d/heads = {d:,}/{heads} = {head_dim}; kv_heads = {kv_heads} ({kind})",
        f"token embeddings: vocab·d = {vocab:,}·{d:,} = {_n(s.embeddings)}",
    ]
    if s.positions:
        lines.append(f"learned positions: ctx·d = {_i(p, 'ctx'):,}·{d:,} = {_n(s.positions)}")
    biases = f" + biases {_n(2 * d + 2 * kv)}" if bias else ""
    lines.append("attention: 2·d·d (q, o) + 2·d·kv_heads·head_dim (k, v)")
    lines.append(f"  = 2·{d:,}·{d:,} + 2·{d:,}·{kv:,}{biases} = {_n(s.attention)}")
    if p["ff_kind"] == "swiglu":
        biases = f" + biases {_n(2 * ff + d)}" if bias else ""
        lines.append(f"FFN, SwiGLU (gate, up, down): 3·d·ff = 3·{d:,}·{ff:,}{biases} = {_n(s.ffn)}")
    else:
        biases = f" + biases {_n(ff + d)}" if bias else ""
        lines.append(f"FFN, GELU (up, down): 2·d·ff = 2·{d:,}·{ff:,}{biases} = {_n(s.ffn)}")
    lines.append(f"norms: 2 × {norm} of d = {_n(s.norms)}")
    lines.append(
        f"per block: {_n(s.attention)} + {_n(s.ffn)} + {_n(s.norms)} = {_n(s.block)}; "
        f"× {s.layers} blocks = {_n(s.layers * s.block)}"
    )
    head = (
        f"LM head untied: vocab·d = {_n(s.head)}"
        if s.head
        else "LM head tied to the token embedding: 0"
    )
    lines.append(f"final norm: {_n(s.final_norm)}; {head}")
    parts = [s.embeddings, s.positions, s.layers * s.block, s.final_norm, s.head]
    lines.append(
        f"total = {' + '.join(_n(x) for x in parts if x)} = {with_unit(s.total, 'params')}"
    )
    return "\n".join(lines)


# --- BERT-style encoders --------------------------------------------------------------


def _encoder_layer(d: int, ff: int) -> int:
    return (4 * d * d + 4 * d) + (d * ff + ff) + (ff * d + d) + 2 * 2 * d


def _encoder_embeddings(p: Params) -> int:
    return (_i(p, "vocab") + _i(p, "ctx") + _i(p, "types")) * _i(p, "d") + 2 * _i(p, "d")


def encoder_count(p: Params) -> int:
    """Parameters of the BERT-style encoder of config ``p``."""
    d = _i(p, "d")
    pooler = d * d + d if _i(p, "pooler") else 0
    return _encoder_embeddings(p) + _i(p, "layers") * _encoder_layer(d, _i(p, "ff")) + pooler


def _encoder_derivation(p: Params) -> str:
    vocab, d, layers, ff, ctx, types = (
        _i(p, k) for k in ("vocab", "d", "layers", "ff", "ctx", "types")
    )
    layer = _encoder_layer(d, ff)
    lines = [
        f"embeddings: (vocab + ctx + types)·d + LayerNorm 2·d = ({vocab:,} + {ctx:,} + "
        f"{types})·{d:,} + 2·{d:,} = {_n(_encoder_embeddings(p))}",
        f"per layer: (4·d·d + 4·d) + (d·ff + ff) + (ff·d + d) + 2·2·d = {_n(layer)}; "
        f"× {layers} layers = {_n(layers * layer)}",
        "(self-attention q, k, v, o with biases; intermediate and output dense; two LayerNorms)",
    ]
    if _i(p, "pooler"):
        lines.append(f"pooler: d·d + d = {_n(d * d + d)} (a dense layer on [CLS])")
    lines.append(f"total = {with_unit(encoder_count(p), 'params')}")
    return "\n".join(lines)


# --- memory ----------------------------------------------------------------------------


def kv_cache_bytes(p: Params) -> int:
    """2·batch·seq·layers·kv_heads·head_dim·dtype_bytes."""
    names = ("batch", "seq", "layers", "kv_heads", "head_dim", "dtype_bytes")
    b, s, layers, kv, hd, size = (_i(p, k) for k in names)
    return 2 * b * s * layers * kv * hd * size


def _kv_cache_derivation(p: Params) -> str:
    names = ("batch", "seq", "layers", "kv_heads", "head_dim", "dtype_bytes")
    numbers = "·".join(f"{_i(p, k):,}" for k in names)
    return (
        f"2·batch·seq·layers·kv_heads·head_dim·dtype_bytes = 2·{numbers}\n"
        f"= {with_unit(kv_cache_bytes(p), 'bytes')}\n"
        "(a key and a value — the 2 — per layer, token and key/value head; grouped-query "
        "attention shrinks the cache by heads/kv_heads)"
    )


def attention_scores_bytes(p: Params) -> int:
    """batch·heads·seq²·dtype_bytes."""
    return _i(p, "batch") * _i(p, "heads") * _i(p, "seq") ** 2 * _i(p, "dtype_bytes")


def _attention_scores_derivation(p: Params) -> str:
    b, h, s, size = (_i(p, k) for k in ("batch", "heads", "seq", "dtype_bytes"))
    return (
        f"batch·heads·seq²·dtype_bytes = {b:,}·{h:,}·{s:,}²·{size}\n"
        f"= {with_unit(attention_scores_bytes(p), 'bytes')}\n"
        "(one layer's softmax(QKᵀ/√d) for every head; FlashAttention computes it tile by "
        "tile in on-chip memory and never stores it, so memory grows with seq, not seq²)"
    )


#: bytes per parameter: (weights, gradients, fp32 master copy) by precision
_PRECISION = {"fp32": (4, 4, 0), "mixed": (2, 2, 4)}
#: bytes per parameter of optimizer state
_OPTIMIZER = {"adam": 8, "sgd": 0}


def bytes_per_param(p: Params) -> int:
    """Training bytes per parameter: 16 for Adam in fp32 or mixed precision."""
    return sum(_PRECISION[str(p["precision"])]) + _OPTIMIZER[str(p["optimizer"])]


def train_memory_bytes(p: Params) -> int:
    """params · bytes per parameter."""
    return _i(p, "params") * bytes_per_param(p)


def _train_memory_derivation(p: Params) -> str:
    weights, grads, master = _PRECISION[str(p["precision"])]
    state = _OPTIMIZER[str(p["optimizer"])]
    dtype = "fp32" if weights == 4 else "fp16"
    parts = [f"{weights} ({dtype} weights)", f"{grads} ({dtype} gradients)"]
    if master:
        parts.append(f"{master} (fp32 master weights)")
    if state:
        parts.append(f"{state} (Adam's two fp32 moments m and v)")
    else:
        parts.append("0 (SGD without momentum keeps no state)")
    per = bytes_per_param(p)
    return (
        f"per parameter: {' + '.join(parts)} = {per} bytes\n"
        f"params·{per} = {_i(p, 'params'):,}·{per} = {with_unit(train_memory_bytes(p), 'bytes')}\n"
        "(activations come on top; ZeRO shards these bytes across data-parallel GPUs)"
    )


# --- compute ---------------------------------------------------------------------------


def _attention_flops(p: Params, factor: int) -> int:
    return factor * _i(p, "layers") * _i(p, "ctx") * _i(p, "d")


def flops_per_token(p: Params) -> int:
    """2N + 4·layers·ctx·d."""
    return 2 * _i(p, "params") + _attention_flops(p, 4)


def train_flops(p: Params) -> int:
    """tokens·(6N + 12·layers·ctx·d)."""
    return _i(p, "tokens") * (6 * _i(p, "params") + _attention_flops(p, 12))


def _attention_numbers(p: Params, factor: int) -> tuple[str, str]:
    if not _i(p, "ctx"):
        return "", ""
    layers, ctx, d = _i(p, "layers"), _i(p, "ctx"), _i(p, "d")
    return (f" + {factor}·layers·ctx·d", f" + {factor}·{layers}·{ctx:,}·{d:,}")


def _flops_per_token_derivation(p: Params) -> str:
    sym, num = _attention_numbers(p, 4)
    note = "(a multiply and an add per parameter per token"
    if sym:
        note += "; the attention term is QKᵀ and the weighted sum of V over ctx positions"
    return (
        f"2·N{sym} = 2·{_i(p, 'params'):,}{num}\n"
        f"= {with_unit(flops_per_token(p), 'FLOPs')}\n{note})"
    )


def _train_flops_derivation(p: Params) -> str:
    sym, num = _attention_numbers(p, 12)
    return (
        f"D·(6·N{sym}) = {_i(p, 'tokens'):,}·(6·{_i(p, 'params'):,}{num})\n"
        f"= {with_unit(train_flops(p), 'FLOPs')}\n"
        "(forward 2N per token; backward 4N: gradients of the activations and of the weights)"
    )


# --- LoRA ------------------------------------------------------------------------------


def lora_shapes(p: Params) -> dict[str, tuple[int, int]]:
    """(d_in, d_out) of every adapted projection of one block, by target name."""
    d, ff = _i(p, "d"), _i(p, "ff")
    _, kv = _kv_width(p)
    shapes = {
        "q": (d, d),
        "k": (d, kv),
        "v": (d, kv),
        "o": (d, d),
        "gate": (d, ff),
        "up": (d, ff),
        "down": (ff, d),
    }
    return {name: shapes[name] for name in str(p["targets"]).split(",")}


def lora_count(p: Params) -> int:
    """layers · Σ r·(d_in + d_out) over the adapted projections."""
    r = _i(p, "r")
    return _i(p, "layers") * sum(r * (a + b) for a, b in lora_shapes(p).values())


def _lora_derivation(p: Params) -> str:
    r, layers = _i(p, "r"), _i(p, "layers")
    shapes = lora_shapes(p)
    per = sum(r * (a + b) for a, b in shapes.values())
    terms = " + ".join(f"{r}·({a:,} + {b:,})" for a, b in shapes.values())
    return (
        f"per block, r·(d_in + d_out) for {', '.join(shapes)}: {terms} = {_n(per)}\n"
        f"× {layers} blocks = {with_unit(lora_count(p), 'params')}\n"
        "(each adapted W gets A: r×d_in and B: d_out×r; W itself stays frozen)"
    )


FORMULAS: dict[str, Callable[[Params], int]] = {
    "decoder_params": lambda p: decoder_shape(p).total,
    "encoder_params": encoder_count,
    "kv_cache_bytes": kv_cache_bytes,
    "attention_scores_bytes": attention_scores_bytes,
    "train_memory_bytes": train_memory_bytes,
    "flops_per_token": flops_per_token,
    "train_flops": train_flops,
    "lora_params": lora_count,
}

DERIVATIONS: dict[str, Callable[[Params], str]] = {
    "decoder_params": _decoder_derivation,
    "encoder_params": _encoder_derivation,
    "kv_cache_bytes": _kv_cache_derivation,
    "attention_scores_bytes": _attention_scores_derivation,
    "train_memory_bytes": _train_memory_derivation,
    "flops_per_token": _flops_per_token_derivation,
    "train_flops": _train_flops_derivation,
    "lora_params": _lora_derivation,
}

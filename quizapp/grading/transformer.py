"""Transformers built from their config on the ``meta`` device, for counting.

The modules are laid out as Hugging Face lays out GPT-2, Llama and BERT (token
embeddings, blocks of attention and FFN projections with their norms, a final norm, an
LM head that may share the embedding's weight), out of stock ``torch.nn`` layers. On
the meta device a 70B-parameter model is shapes only: building and counting it takes
a fraction of a second and no memory. Counting goes through ``Module.parameters()``,
which yields a tied weight once, as PyTorch and PEFT count it.

torch is imported inside the functions only.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from quizapp.deckfile.rules import Params
from quizapp.grading.sizing import lora_shapes

if TYPE_CHECKING:
    import torch
    from torch import nn


def _i(p: Params, name: str) -> int:
    return int(p[name])


def count(module: nn.Module) -> int:
    """Parameters of ``module``, a shared (tied) tensor counted once."""
    return sum(t.numel() for t in module.parameters())


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a model is built.

    A 70B model is a few thousand short-lived objects, freed by reference counting
    once counted; left on, the collector takes them as a reason to walk torch's whole
    heap (half a second) in the middle of a grade.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def counted(build: Callable[[Params], nn.Module]) -> Callable[[Params], int]:
    """``build`` then count, the collector held meanwhile (see :func:`no_cyclic_gc`)."""

    def run(p: Params) -> int:
        with no_cyclic_gc():
            return count(build(p))

    return run


@cache
def _shapes() -> SimpleNamespace:
    """``nn.Linear``, ``nn.Embedding``, ``nn.LayerNorm`` and ``nn.RMSNorm`` that skip
    initialising their weights: on meta there are no values to set, and the random
    initialisation is nine tenths of building a layer (a 70B model builds in 10 ms
    instead of 150)."""
    from torch import nn

    def shape_only(cls: type[nn.Module]) -> type[nn.Module]:
        return type(cls.__name__, (cls,), {"reset_parameters": lambda self: None})

    return SimpleNamespace(
        Linear=shape_only(nn.Linear),
        Embedding=shape_only(nn.Embedding),
        LayerNorm=shape_only(nn.LayerNorm),
        RMSNorm=shape_only(nn.RMSNorm),
    )


def _norm(p: Params) -> nn.Module:
    nn = _shapes()
    d = _i(p, "d")
    return nn.LayerNorm(d) if p["norm"] == "layernorm" else nn.RMSNorm(d)  # type: ignore[no-any-return]


def _decoder_block(p: Params) -> nn.Module:
    import torch

    nn = _shapes()
    d, heads, ff, bias = _i(p, "d"), _i(p, "heads"), _i(p, "ff"), bool(_i(p, "bias"))
    head_dim = d // heads
    kv = (_i(p, "kv_heads") or heads) * head_dim
    attention = torch.nn.ModuleDict(
        {
            "q_proj": nn.Linear(d, heads * head_dim, bias=bias),
            "k_proj": nn.Linear(d, kv, bias=bias),
            "v_proj": nn.Linear(d, kv, bias=bias),
            "o_proj": nn.Linear(heads * head_dim, d, bias=bias),
        }
    )
    if p["ff_kind"] == "swiglu":
        mlp = torch.nn.ModuleDict(
            {
                "gate_proj": nn.Linear(d, ff, bias=bias),
                "up_proj": nn.Linear(d, ff, bias=bias),
                "down_proj": nn.Linear(ff, d, bias=bias),
            }
        )
    else:
        mlp = torch.nn.ModuleDict(
            {"c_fc": nn.Linear(d, ff, bias=bias), "c_proj": nn.Linear(ff, d, bias=bias)}
        )
    return torch.nn.ModuleDict(
        {
            "input_layernorm": _norm(p),
            "self_attn": attention,
            "post_attention_layernorm": _norm(p),
            "mlp": mlp,
        }
    )


def decoder(p: Params) -> nn.Module:
    """The decoder-only transformer of config ``p`` (see ``decoder_params``), on meta."""
    import torch

    nn = _shapes()
    vocab, d = _i(p, "vocab"), _i(p, "d")
    with torch.device("meta"):
        parts: dict[str, torch.nn.Module] = {"embed_tokens": nn.Embedding(vocab, d)}
        if _i(p, "ctx"):
            parts["embed_positions"] = nn.Embedding(_i(p, "ctx"), d)
        parts["layers"] = torch.nn.ModuleList(_decoder_block(p) for _ in range(_i(p, "layers")))
        parts["norm"] = _norm(p)
        head = nn.Linear(d, vocab, bias=False)
        if _i(p, "tied"):
            head.weight = parts["embed_tokens"].weight
        parts["lm_head"] = head
        return torch.nn.ModuleDict(parts)


def encoder(p: Params) -> nn.Module:
    """The BERT-style encoder of config ``p`` (see ``encoder_params``), on meta, laid out
    as BERT: embeddings (words, positions, token types, a LayerNorm), post-norm layers
    (q, k, v, o with biases, a LayerNorm, intermediate and output dense layers, a
    LayerNorm) and the pooler."""
    import torch

    nn = _shapes()
    d, ff = _i(p, "d"), _i(p, "ff")

    def layer() -> torch.nn.Module:
        return torch.nn.ModuleDict(
            {
                "query": nn.Linear(d, d),
                "key": nn.Linear(d, d),
                "value": nn.Linear(d, d),
                "attention_output": nn.Linear(d, d),
                "attention_norm": nn.LayerNorm(d),
                "intermediate": nn.Linear(d, ff),
                "output": nn.Linear(ff, d),
                "output_norm": nn.LayerNorm(d),
            }
        )

    with torch.device("meta"):
        embeddings = {"word_embeddings": nn.Embedding(_i(p, "vocab"), d)}
        if _i(p, "ctx"):
            embeddings["position_embeddings"] = nn.Embedding(_i(p, "ctx"), d)
        if _i(p, "types"):
            embeddings["token_type_embeddings"] = nn.Embedding(_i(p, "types"), d)
        embeddings["LayerNorm"] = nn.LayerNorm(d)
        parts: dict[str, torch.nn.Module] = {
            "embeddings": torch.nn.ModuleDict(embeddings),
            "encoder": torch.nn.ModuleList(layer() for _ in range(_i(p, "layers"))),
        }
        if _i(p, "pooler"):
            parts["pooler"] = nn.Linear(d, d)
        return torch.nn.ModuleDict(parts)


def lora_adapters(p: Params) -> nn.Module:
    """The LoRA adapters (A: r×d_in, B: d_out×r per adapted projection and block) of
    config ``p`` (see ``lora_params``), on meta. The frozen weights they adapt are not
    built: they are not trainable."""
    import torch

    nn = _shapes()
    r = _i(p, "r")
    with torch.device("meta"):
        return torch.nn.ModuleList(
            torch.nn.ModuleDict(
                {
                    name: torch.nn.ModuleDict(
                        {
                            "lora_A": nn.Linear(d_in, r, bias=False),
                            "lora_B": nn.Linear(r, d_out, bias=False),
                        }
                    )
                    for name, (d_in, d_out) in lora_shapes(p).items()
                }
            )
            for _ in range(_i(p, "layers"))
        )


def dtype_of(size: int) -> torch.dtype:
    """The usual floating-point type of ``size`` bytes (fp8, fp16, fp32, fp64)."""
    import torch

    return {
        1: torch.float8_e4m3fn,
        2: torch.float16,
        4: torch.float32,
        8: torch.float64,
    }[size]


def kv_cache(p: Params) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The key and value tensors a decoder keeps per layer, shaped
    (batch, kv_heads, seq, head_dim) as Hugging Face's cache keeps them, on meta."""
    import torch

    shape = (_i(p, "batch"), _i(p, "kv_heads"), _i(p, "seq"), _i(p, "head_dim"))
    dtype = dtype_of(_i(p, "dtype_bytes"))
    return [
        (
            torch.empty(shape, dtype=dtype, device="meta"),
            torch.empty(shape, dtype=dtype, device="meta"),
        )
        for _ in range(_i(p, "layers"))
    ]


def attention_scores(p: Params) -> torch.Tensor:
    """One layer's scores Q·Kᵀ for every head, computed on meta (the size of a head
    does not change their shape, so heads of size 1 stand in)."""
    import torch

    shape = (_i(p, "batch"), _i(p, "heads"), _i(p, "seq"), 1)
    q = torch.empty(shape, device="meta")
    k = torch.empty(shape, device="meta")
    return q @ k.transpose(-2, -1)


def nbytes(tensor: torch.Tensor, size: int) -> int:
    """Bytes ``tensor``'s elements take at ``size`` bytes each."""
    return tensor.numel() * size

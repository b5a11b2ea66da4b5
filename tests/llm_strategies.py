"""Random configurations of the LLM and layer arithmetic models, for property tests."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import strategies as st

flags = st.integers(0, 1)
dtype_bytes = st.sampled_from((1, 2, 4, 8))


def _divisors(n: int) -> list[int]:
    return [k for k in range(1, n + 1) if n % k == 0]


def attention_shape() -> st.SearchStrategy[dict[str, int]]:
    """d, heads and a kv_heads dividing heads (0 = as many as heads)."""
    return st.tuples(st.integers(1, 16), st.integers(1, 64)).flatmap(
        lambda hw: st.fixed_dictionaries(
            {
                "d": st.just(hw[0] * hw[1]),
                "heads": st.just(hw[0]),
                "kv_heads": st.sampled_from([0, *_divisors(hw[0])]),
            }
        )
    )


def _with(
    base: st.SearchStrategy[dict[str, int]], **extra: st.SearchStrategy[object]
) -> st.SearchStrategy[Mapping[str, object]]:
    return st.tuples(base, st.fixed_dictionaries(extra)).map(lambda pair: {**pair[0], **pair[1]})


def _attention_term(**extra: st.SearchStrategy[object]) -> st.SearchStrategy[Mapping[str, object]]:
    """The parameters of a FLOPs model: layers, ctx and d all given or all left out."""
    term = st.one_of(
        st.just({"layers": 0, "ctx": 0, "d": 0}),
        st.fixed_dictionaries(
            {
                "layers": st.integers(1, 128),
                "ctx": st.integers(1, 131_072),
                "d": st.integers(1, 16_384),
            }
        ),
    )
    return _with(term, params=st.integers(1, 10**12), **extra)


_TARGETS = ("q", "k", "v", "o", "gate", "up", "down")

LLM_STRATEGIES: dict[str, st.SearchStrategy[Mapping[str, object]]] = {
    "decoder_params": _with(
        attention_shape(),
        vocab=st.integers(1, 50_000),
        layers=st.integers(1, 4),
        ff=st.integers(1, 512),
        ff_kind=st.sampled_from(("gelu", "swiglu")),
        norm=st.sampled_from(("layernorm", "rmsnorm")),
        bias=flags,
        tied=flags,
        ctx=st.integers(0, 2048),
    ),
    "encoder_params": _with(
        attention_shape().map(lambda p: {k: v for k, v in p.items() if k != "kv_heads"}),
        vocab=st.integers(1, 50_000),
        layers=st.integers(1, 4),
        ff=st.integers(1, 512),
        ctx=st.integers(0, 1024),
        types=st.integers(0, 4),
        pooler=flags,
    ),
    "kv_cache_bytes": st.fixed_dictionaries(
        {
            "batch": st.integers(1, 64),
            "seq": st.integers(1, 1_000_000),
            "layers": st.integers(1, 128),
            "kv_heads": st.integers(1, 64),
            "head_dim": st.integers(1, 256),
            "dtype_bytes": dtype_bytes,
        }
    ),
    "attention_scores_bytes": st.fixed_dictionaries(
        {
            "batch": st.integers(1, 64),
            "heads": st.integers(1, 128),
            "seq": st.integers(1, 100_000),
            "dtype_bytes": dtype_bytes,
        }
    ),
    "train_memory_bytes": st.fixed_dictionaries(
        {
            "params": st.integers(1, 10**12),
            "precision": st.sampled_from(("fp32", "mixed")),
            "optimizer": st.sampled_from(("adam", "sgd")),
        }
    ),
    "flops_per_token": _attention_term(),
    "train_flops": _attention_term(tokens=st.integers(1, 10**13)),
    "lora_params": _with(
        attention_shape(),
        layers=st.integers(1, 8),
        r=st.integers(1, 64),
        targets=st.sets(st.sampled_from(_TARGETS), min_size=1).map(
            lambda names: ",".join(t for t in _TARGETS if t in names)
        ),
        ff=st.integers(1, 1024),
    ),
    "layernorm_params": st.fixed_dictionaries({"d": st.integers(1, 100_000), "bias": flags}),
    "batchnorm_params": st.fixed_dictionaries({"c": st.integers(1, 100_000), "affine": flags}),
    "pool_output": st.tuples(st.integers(1, 9), st.integers(1, 300)).flatmap(
        lambda fn: st.fixed_dictionaries(
            {
                "f": st.just(fn[0]),
                "n": st.just(max(fn[0], fn[1])),
                "s": st.integers(0, 5),
                "p": st.integers(0, fn[0] // 2),
                "ceil": flags,
            }
        )
    ),
    "receptive_field": st.fixed_dictionaries(
        {
            "layers": st.integers(1, 12),
            "f": st.integers(1, 7),
            "s": st.integers(1, 4),
            "d": st.integers(1, 3),
        }
    ),
}

"""LLM and layer arithmetic: published counts, and the closed forms checked against real
modules doing the work (an optimizer's state after a step, FLOPs counted while a
transformer runs forward and backward, a gradient reaching back through convolutions)."""

# These tests run real modules next to the reference models: torch is what they test with.
# ruff: noqa: TID253
from __future__ import annotations

import math

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from quizapp.deckfile.rules import ParamError
from quizapp.grading.models import compute, derivation, formula, warm_up


@pytest.fixture(scope="module", autouse=True)
def _torch_loaded() -> None:
    warm_up()


LLAMA = {"ff_kind": "swiglu", "norm": "rmsnorm", "bias": 0, "tied": 0, "vocab": 32_000}

#: configs as their config.json files give them, and the count each model card states
PUBLISHED = [
    # GPT-2: tied LM head, learned positions, GELU MLP, LayerNorm, biases
    ("gpt2", {"vocab": 50_257, "d": 768, "layers": 12, "heads": 12, "ff": 3072, "ctx": 1024},
     124_439_808),
    ("gpt2-medium",
     {"vocab": 50_257, "d": 1024, "layers": 24, "heads": 16, "ff": 4096, "ctx": 1024},
     354_823_168),
    ("Llama-2-7b", {**LLAMA, "d": 4096, "layers": 32, "heads": 32, "ff": 11_008},
     6_738_415_616),
    ("Llama-2-13b", {**LLAMA, "d": 5120, "layers": 40, "heads": 40, "ff": 13_824},
     13_015_864_320),
    ("Llama-2-70b",
     {**LLAMA, "d": 8192, "layers": 80, "heads": 64, "kv_heads": 8, "ff": 28_672},
     68_976_648_192),
    ("Mistral-7B-v0.1",
     {**LLAMA, "d": 4096, "layers": 32, "heads": 32, "kv_heads": 8, "ff": 14_336},
     7_241_732_096),
    ("TinyLlama-1.1B",
     {**LLAMA, "d": 2048, "layers": 22, "heads": 32, "kv_heads": 4, "ff": 5632},
     1_100_048_384),
]  # fmt: skip


@pytest.mark.parametrize(("name", "config", "count"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_decoders_reproduce_published_counts(
    name: str, config: dict[str, object], count: int
) -> None:
    assert compute("decoder_params", config) == count
    assert formula("decoder_params", config) == count
    assert (
        derivation("decoder_params", config)
        .splitlines()[-1]
        .endswith(
            f"= {count:,} "
            + (f"({count / 1e9:.3g}B)" if count >= 10**9 else f"({count / 1e6:.3g}M)")
        )
    )


def test_bert_base_reproduces_its_published_count() -> None:
    bert = {"vocab": 30_522, "d": 768, "layers": 12, "heads": 12, "ff": 3072}
    assert compute("encoder_params", bert) == 109_482_240
    # without the pooler, as BertModel(add_pooling_layer=False) counts it
    assert compute("encoder_params", {**bert, "pooler": 0}) == 109_482_240 - (768 * 768 + 768)


def test_lora_on_llama_2_7b_matches_what_peft_prints() -> None:
    # PEFT, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]) on Llama-2-7b-hf:
    # "trainable params: 4,194,304 || all params: 6,742,609,920"
    lora = {"d": 4096, "layers": 32, "r": 8, "targets": "q,v"}
    trainable = compute("lora_params", lora)
    assert trainable == 4_194_304
    base = compute("decoder_params", PUBLISHED[2][1])
    assert isinstance(base, int)
    assert base + trainable == 6_742_609_920


def test_grouped_query_lora_adapters_are_narrower_for_k_and_v() -> None:
    mistral = {"d": 4096, "layers": 32, "heads": 32, "kv_heads": 8, "r": 8, "targets": "k,v"}
    assert compute("lora_params", mistral) == 32 * 2 * 8 * (4096 + 1024)


def test_a_tied_head_is_counted_once() -> None:
    gpt2 = PUBLISHED[0][1]
    tied, untied = compute("decoder_params", gpt2), compute("decoder_params", {**gpt2, "tied": 0})
    assert isinstance(tied, int) and isinstance(untied, int)
    assert untied - tied == 50_257 * 768


def test_a_70b_model_counts_on_the_meta_device_without_memory() -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert compute("decoder_params", PUBLISHED[4][1]) == 68_976_648_192
    # 138 GB if the fp16 weights were allocated
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB


# --- memory -------------------------------------------------------------------------------


def _nbytes(tensors: list[torch.Tensor]) -> int:
    return sum(t.nelement() * t.element_size() for t in tensors)


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 32), nn.GELU(), nn.Linear(32, 8))


def _optimizer_state(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    tensors = [v for state in optimizer.state.values() for v in state.values()]
    # Adam's step counter is one scalar per tensor, not a value per parameter
    return [t for t in tensors if t.dim() > 0]


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_fp32_training_memory_is_weights_gradients_and_optimizer_state(optimizer: str) -> None:
    model = _model()
    opt: torch.optim.Optimizer = (
        torch.optim.Adam(model.parameters())
        if optimizer == "adam"
        else torch.optim.SGD(model.parameters(), lr=0.1)
    )
    model(torch.randn(4, 16)).sum().backward()
    opt.step()
    params = list(model.parameters())
    used = _nbytes(params) + _nbytes([p.grad for p in params if p.grad is not None])
    used += _nbytes(_optimizer_state(opt))
    count = sum(p.numel() for p in params)
    expected = {"params": count, "precision": "fp32", "optimizer": optimizer}
    assert compute("train_memory_bytes", expected) == used


def test_mixed_precision_with_adam_takes_16_bytes_per_parameter() -> None:
    model = _model().half()
    master = [p.detach().float().requires_grad_() for p in model.parameters()]
    for p in model.parameters():
        p.grad = torch.ones_like(p)  # fp16 gradients, as the backward pass leaves them
    for m, p in zip(master, model.parameters(), strict=True):
        assert p.grad is not None
        m.grad = p.grad.float()
    opt = torch.optim.Adam(master)
    opt.step()
    used = _nbytes(list(model.parameters()))
    used += _nbytes([p.grad for p in model.parameters() if p.grad is not None])
    used += _nbytes(master) + _nbytes(_optimizer_state(opt))
    count = sum(p.numel() for p in model.parameters())
    assert compute("train_memory_bytes", {"params": count}) == used == 16 * count


def test_the_kv_cache_is_what_the_key_and_value_projections_produce() -> None:
    batch, seq, d, heads, kv_heads, layers = 2, 7, 64, 8, 2, 3
    head_dim = d // heads
    x = torch.randn(batch, seq, d, dtype=torch.float16)
    cache = []
    for _ in range(layers):
        k_proj = nn.Linear(d, kv_heads * head_dim, dtype=torch.float16)
        v_proj = nn.Linear(d, kv_heads * head_dim, dtype=torch.float16)
        with torch.no_grad():
            for proj in (k_proj, v_proj):
                cache.append(proj(x).view(batch, seq, kv_heads, head_dim).transpose(1, 2))
    params = {"batch": batch, "seq": seq, "layers": layers, "kv_heads": kv_heads,
              "head_dim": head_dim, "dtype_bytes": 2}  # fmt: skip
    assert compute("kv_cache_bytes", params) == _nbytes(cache)


def test_attention_scores_are_the_b_h_s_s_matrix() -> None:
    q = torch.randn(3, 4, 10, 8)
    scores = torch.softmax(q @ torch.randn(3, 4, 10, 8).transpose(-2, -1), dim=-1)
    params = {"batch": 3, "heads": 4, "seq": 10, "dtype_bytes": 4}
    assert compute("attention_scores_bytes", params) == _nbytes([scores])


# --- compute ----------------------------------------------------------------------------


class _Block(nn.Module):
    """Attention (no mask: every position sees the whole context) and an MLP, matrices
    only: the parameters N of 2N are the multiply-adds of the linear layers."""

    def __init__(self, d: int, heads: int, ff: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d, bias=False)
        self.up = nn.Linear(d, ff, bias=False)
        self.down = nn.Linear(ff, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        attended = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d), dim=-1) @ v
        x = x + self.out(attended.transpose(1, 2).reshape(b, s, d))
        return x + self.down(torch.relu(self.up(x)))


def _transformer(d: int, heads: int, ff: int, layers: int) -> tuple[nn.Module, int]:
    torch.manual_seed(0)
    model = nn.Sequential(*(_Block(d, heads, ff) for _ in range(layers)))
    return model, sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize(
    ("d", "heads", "ff", "layers", "ctx"), [(32, 4, 128, 2, 16), (48, 3, 96, 3, 40)]
)
def test_forward_and_training_flops_match_a_counted_transformer(
    d: int, heads: int, ff: int, layers: int, ctx: int
) -> None:
    model, n = _transformer(d, heads, ff, layers)
    x = torch.randn(1, ctx, d, requires_grad=True)
    with FlopCounterMode(display=False) as forward:
        out = model(x)
    with FlopCounterMode(display=False) as backward:
        out.sum().backward()
    per_token = {"params": n, "layers": layers, "ctx": ctx, "d": d}
    assert compute("flops_per_token", per_token) * ctx == forward.get_total_flops()
    trained = forward.get_total_flops() + backward.get_total_flops()
    assert compute("train_flops", {**per_token, "tokens": ctx}) == trained
    # without the attention term: the 2N and 6N rules
    assert compute("flops_per_token", {"params": n}) == 2 * n
    assert compute("train_flops", {"params": n, "tokens": 1000}) == 6 * n * 1000


def test_chinchilla_training_compute() -> None:
    # 70B parameters on 1.4T tokens: 5.88e23 FLOPs
    assert compute("train_flops", {"params": "70B", "tokens": "1.4T"}) == 588 * 10**21


# --- layers ---------------------------------------------------------------------------------


def test_batchnorm_running_statistics_are_buffers_not_parameters() -> None:
    bn = nn.BatchNorm2d(64)
    assert len(bn.state_dict()) == 5  # weight, bias, running_mean, running_var, num_batches_tracked
    assert compute("batchnorm_params", {"c": 64}) == 128
    assert compute("batchnorm_params", {"c": 64, "affine": 0}) == 0
    assert "buffers" in derivation("batchnorm_params", {"c": 64})


def test_layernorm_and_pooling_golden_values() -> None:
    assert compute("layernorm_params", {"d": 768}) == 1536
    assert compute("layernorm_params", {"d": 768, "bias": 0}) == 768
    assert compute("pool_output", {"n": 224, "f": 2}) == 112  # stride defaults to the kernel
    assert compute("pool_output", {"n": 112, "f": 3, "s": 2, "p": 1}) == 56  # ResNet's stem
    assert compute("pool_output", {"n": 7, "f": 2, "ceil": 1}) == 4
    assert compute("pool_output", {"n": 7, "f": 2}) == 3


def _measured_receptive_field(layers: int, f: int, s: int, d: int) -> int:
    """How many inputs the first output of the stack depends on, by its gradient."""
    length = 1 + (f - 1) * d * sum(s**k for k in range(layers)) + 4 * s**layers
    stack = nn.Sequential(
        *(nn.Conv1d(1, 1, f, stride=s, dilation=d, bias=False) for _ in range(layers))
    )
    with torch.no_grad():
        for conv in stack:
            assert isinstance(conv, nn.Conv1d)
            conv.weight.fill_(1.0)
    x = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    stack.double()(x)[0, 0, 0].backward()
    assert x.grad is not None
    reached = torch.nonzero(x.grad[0, 0]).flatten()
    return int(reached.max() - reached.min()) + 1


@pytest.mark.parametrize(
    ("layers", "f", "s", "d"),
    [(1, 3, 1, 1), (3, 3, 1, 1), (3, 3, 2, 1), (4, 5, 2, 1), (2, 3, 1, 2), (3, 2, 3, 2)],
)
def test_receptive_field_is_what_the_gradient_reaches(layers: int, f: int, s: int, d: int) -> None:
    params = {"layers": layers, "f": f, "s": s, "d": d}
    assert compute("receptive_field", params) == _measured_receptive_field(layers, f, s, d)


# --- refusing nonsense -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "params", "message"),
    [
        ("decoder_params", {"vocab": 1, "d": 64, "layers": 2, "heads": 8, "kv_heads": 3, "ff": 8},
         "kv_heads=3 must divide heads=8"),
        ("decoder_params", {"vocab": 1, "d": 8, "layers": 1, "heads": 8, "ff": 8, "ff_kind": "x"},
         "ff_kind must be one of gelu, swiglu, not .x."),
        ("decoder_params", {"vocab": 1, "d": 64, "layers": 201, "heads": 8, "ff": 8},
         "layers must be between 1 and 200"),
        ("lora_params", {"d": 64, "layers": 2, "targets": "q,gate"}, "need the FFN width ff"),
        ("lora_params", {"d": 64, "layers": 2, "targets": "q,x"}, "targets must be a list of"),
        ("kv_cache_bytes", {"seq": 10**7, "layers": 200, "kv_heads": 10**6, "head_dim": 10**6},
         "larger than torch can count"),
        ("kv_cache_bytes", {"seq": 8, "layers": 2, "kv_heads": 2, "head_dim": 2, "dtype_bytes": 3},
         "dtype_bytes must be one of 1, 2, 4, 8"),
        ("train_memory_bytes", {"params": "7.5"}, "whole number"),
        ("train_memory_bytes", {"params": "7B", "precision": "bf16"}, "fp32, mixed"),
        ("flops_per_token", {"params": "7B", "ctx": 4096}, "give layers, ctx and d together"),
        ("pool_output", {"n": 8, "f": 2, "p": 2}, "at most half the kernel"),
        ("receptive_field", {"layers": 100, "f": 3, "s": 1000}, "larger than torch can count"),
    ],
)  # fmt: skip
def test_nonsense_llm_parameters_get_a_clear_message(
    model: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ParamError, match=message):
        compute(model, params)


def test_sizes_may_be_given_with_units() -> None:
    assert compute("train_memory_bytes", {"params": "7B"}) == 112 * 10**9
    assert compute("train_memory_bytes", {"params": "6.7e9"}) == 16 * 67 * 10**8
    assert (
        compute("kv_cache_bytes", {"seq": "1.5k", "layers": 1, "kv_heads": 1, "head_dim": 1})
        == 6000
    )
    assert compute("flops_per_token", {"params": "512 MiB"}) == 2 * 512 * 2**20

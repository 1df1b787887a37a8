"""Reference values for Deneb's attention parity tests (MultiheadAttention, TransformerEncoderLayer/Encoder,
TransformerDecoderLayer/Decoder), computed with PyTorch on CPU in float32.

    /usr/bin/python3 nn-layers/src/test/python/make_attention_reference.py [out.safetensors]

(default out: nn-layers/src/test/resources/attention/attention_reference.safetensors). Keys:

    <case>.in.<name>        inputs (f32): query/key/value for attention, x for encoders, tgt/memory for decoders
    <case>.mask.<name>      masks (bool or f32), named as the PyTorch forward arguments
    <case>.state.<key>      the module's state_dict (PyTorch names)
    <case>.output           the output (attention: the attended values)
    <case>.weights          attention weights (attention cases only)
    <case>.gout, .gweights  fixed weights w of the backward pass: backward of sum(output*gout) [+ sum(weights*gweights)]
    <case>.grad.in.<name>   gradient of each input
    <case>.grad.<param>     gradient of every named parameter

Hyper-parameters of each case are in CASES below and mirrored by AttentionParityTest. Dropout is 0 everywhere.
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite as st  # noqa: E402

G = torch.Generator().manual_seed(4321)
OUT = {}


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=G) * scale


def randomize(module):
    with torch.no_grad():
        for name, p in module.named_parameters():
            parts = name.split(".")
            base = 1.0 if len(parts) > 1 and parts[-2].startswith("norm") and parts[-1] == "weight" else 0.0
            p.copy_(randn(*p.shape, scale=0.4) + base)
    return module


def causal(n):
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)


def record(case, module, inputs, masks, run):
    randomize(module)
    module.eval()  # dropout is 0 anyway; eval also keeps PyTorch's fast paths off because grads are on
    for k, v in module.state_dict().items():
        OUT[f"{case}.state.{k}"] = v.detach().clone()
    ins = {}
    for name, t in inputs.items():
        OUT[f"{case}.in.{name}"] = t.clone()
        ins[name] = t.clone().requires_grad_(True)
    for name, m in masks.items():
        OUT[f"{case}.mask.{name}"] = m.clone()
    out, weights = run(module, ins, masks)
    gout = randn(*out.shape)
    loss = (out * gout).sum()
    OUT[f"{case}.output"] = out.detach().clone()
    OUT[f"{case}.gout"] = gout
    if weights is not None:
        gw = randn(*weights.shape)
        loss = loss + (weights * gw).sum()
        OUT[f"{case}.weights"] = weights.detach().clone()
        OUT[f"{case}.gweights"] = gw
    loss.backward()
    for name, t in ins.items():
        if t.grad is not None:
            OUT[f"{case}.grad.in.{name}"] = t.grad.clone()
    for name, p in module.named_parameters():
        OUT[f"{case}.grad.{name}"] = p.grad.clone()


def mha_run(average):
    def run(m, ins, masks):
        q = ins["query"]
        k = ins.get("key", q)
        v = ins.get("value", k)
        return m(q, k, v, key_padding_mask=masks.get("key_padding_mask"), need_weights=True,
                 attn_mask=masks.get("attn_mask"), average_attn_weights=average)
    return run


# --- MultiheadAttention ---
kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
record("mha_self_packed", nn.MultiheadAttention(8, 2, batch_first=True),
       {"query": randn(2, 5, 8)}, {"key_padding_mask": kpm}, mha_run(True))
record("mha_cross_seqfirst", nn.MultiheadAttention(8, 4),
       {"query": randn(4, 2, 8), "key": randn(6, 2, 8)}, {"attn_mask": randn(4, 6)}, mha_run(False))
am = torch.rand((6, 3, 4), generator=G) > 0.6
am[:, :, 0] = False  # no fully masked row
record("mha_separate_kdim_vdim", nn.MultiheadAttention(6, 3, kdim=4, vdim=5, batch_first=True),
       {"query": randn(2, 3, 6), "key": randn(2, 4, 4), "value": randn(2, 4, 5)},
       {"attn_mask": am, "key_padding_mask": torch.tensor([[False, False, True, False], [False, True, False, False]])},
       mha_run(True))
record("mha_nobias_qkv", nn.MultiheadAttention(8, 2, bias=False, batch_first=True),
       {"query": randn(2, 3, 8), "key": randn(2, 4, 8), "value": randn(2, 4, 8)},
       {"attn_mask": causal(4)[:3]}, mha_run(True))


# --- encoder ---
def enc_run(m, ins, masks):
    return m(ins["x"], masks.get("mask"), masks.get("src_key_padding_mask")), None


def enc_layer(norm_first, act, batch_first):
    return nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation=act, batch_first=batch_first,
                                      norm_first=norm_first)


record("enc_post_relu", enc_layer(False, "relu", True), {"x": randn(2, 5, 8)},
       {"src_key_padding_mask": kpm}, enc_run)
record("enc_pre_gelu", enc_layer(True, "gelu", False), {"x": randn(5, 2, 8)}, {"mask": causal(5)}, enc_run)
record("enc_stack", nn.TransformerEncoder(enc_layer(False, "relu", True), 2, norm=nn.LayerNorm(8),
                                          enable_nested_tensor=False),
       {"x": randn(2, 5, 8)}, {"src_key_padding_mask": kpm}, enc_run)


# --- decoder ---
def dec_run(m, ins, masks):
    return m(ins["tgt"], ins["memory"], tgt_mask=masks.get("tgt_mask"), memory_mask=masks.get("memory_mask"),
             tgt_key_padding_mask=masks.get("tgt_key_padding_mask"),
             memory_key_padding_mask=masks.get("memory_key_padding_mask")), None


def dec_layer(norm_first, act, batch_first):
    return nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, activation=act, batch_first=batch_first,
                                      norm_first=norm_first)


record("dec_post_relu", dec_layer(False, "relu", True), {"tgt": randn(2, 4, 8), "memory": randn(2, 5, 8)},
       {"tgt_mask": causal(4), "memory_key_padding_mask": kpm}, dec_run)
record("dec_pre_gelu", dec_layer(True, "gelu", False), {"tgt": randn(4, 2, 8), "memory": randn(5, 2, 8)},
       {"tgt_mask": causal(4) == float("-inf")}, dec_run)
record("dec_stack", nn.TransformerDecoder(dec_layer(False, "relu", True), 2, norm=nn.LayerNorm(8)),
       {"tgt": randn(2, 4, 8), "memory": randn(2, 5, 8)},
       {"tgt_mask": causal(4), "tgt_key_padding_mask": torch.tensor([[False] * 4, [False, False, False, True]])},
       dec_run)

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "resources", "attention", "attention_reference.safetensors")
    st.save_file({k: v.contiguous() for k, v in OUT.items()}, out, metadata={"torch": torch.__version__})
    print(f"wrote {len(OUT)} tensors to {os.path.normpath(out)} ({os.path.getsize(out)} bytes)")

"""Reference values for Deneb's recurrent-layer parity tests (RNN, LSTM, GRU and their cells), computed with
PyTorch on CPU in float32.

    /usr/bin/python3 nn-layers/src/test/python/make_recurrent_reference.py [out.safetensors]

(default out: nn-layers/src/test/resources/recurrent/recurrent_reference.safetensors). Every key is
"<case>.<kind>[.<name>]":

    <case>.input              the input (layout as the case's batch_first says)
    <case>.h0, <case>.c0      initial states [L*D, B, H] (cells: [B, H]); absent where the case uses zeros
    <case>.lengths            i64 sequence lengths for the packed cases (pack_padded_sequence, enforce_sorted=False)
    <case>.state.<name>       the module's parameters (PyTorch names)
    <case>.output, .h_n, .c_n the results (for packed cases: pad_packed_sequence's output, padded with zeros)
    <case>.w_out, .w_h, .w_c  fixed weights of the loss sum(output*w_out) + sum(h_n*w_h) + sum(c_n*w_c)
    <case>.grad.input, .grad.h0, .grad.c0, .grad.<param>   gradients of that loss

The hyper-parameters of each case are in CASES below; RecurrentParityTest builds the same modules by case name.
"""
import os
import sys

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_lite as st  # noqa: E402

G = torch.Generator().manual_seed(2024)
OUT = {}


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=G) * scale


def randomize(module):
    with torch.no_grad():
        for _, p in module.named_parameters():
            p.copy_(randn(*p.shape, scale=0.4))
    return module


# name: (kind, kwargs, T, B, with initial state, lengths or None)
CASES = {
    "rnn_tanh_2layer": ("RNN", dict(num_layers=2), 6, 3, True, None),
    "rnn_relu_bf": ("RNN", dict(nonlinearity="relu", batch_first=True), 5, 3, True, None),
    "lstm_2layer_bi_bf": ("LSTM", dict(num_layers=2, bidirectional=True, batch_first=True), 6, 3, True, None),
    "lstm_nobias": ("LSTM", dict(bias=False), 4, 2, False, None),
    "gru_bi": ("GRU", dict(bidirectional=True), 6, 3, True, None),
    "gru_2layer_nobias": ("GRU", dict(num_layers=2, bias=False), 4, 2, False, None),
    "lstm_packed_bi_bf": ("LSTM", dict(bidirectional=True, batch_first=True), 6, 4, True, [6, 3, 1, 5]),
    "gru_packed_2layer_bi": ("GRU", dict(num_layers=2, bidirectional=True), 5, 3, True, [2, 5, 4]),
    "rnn_packed": ("RNN", dict(), 5, 3, False, [5, 1, 3]),
}
INPUT, HIDDEN = 5, 4


def sequence_case(name, kind, kw, T, B, with_state, lengths):
    torch.manual_seed(0)
    m = randomize(getattr(nn, kind)(INPUT, HIDDEN, **kw))
    bf = kw.get("batch_first", False)
    d = 2 if kw.get("bidirectional", False) else 1
    L = kw.get("num_layers", 1)
    x = randn(*((B, T, INPUT) if bf else (T, B, INPUT))).requires_grad_()
    h0 = randn(L * d, B, HIDDEN, scale=0.5).requires_grad_() if with_state else None
    c0 = randn(L * d, B, HIDDEN, scale=0.5).requires_grad_() if with_state and kind == "LSTM" else None
    state = None if h0 is None else ((h0, c0) if kind == "LSTM" else h0)
    if lengths is None:
        out, hs = m(x, state)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=bf, enforce_sorted=False)
        out, hs = m(packed, state)
        out, _ = pad_packed_sequence(out, batch_first=bf, total_length=T)
    h_n, c_n = hs if kind == "LSTM" else (hs, None)
    w_out = randn(*out.shape)
    w_h = randn(*h_n.shape)
    loss = (out * w_out).sum() + (h_n * w_h).sum()
    OUT[f"{name}.w_out"] = w_out
    OUT[f"{name}.w_h"] = w_h
    if c_n is not None:
        w_c = randn(*c_n.shape)
        loss = loss + (c_n * w_c).sum()
        OUT[f"{name}.w_c"] = w_c
        OUT[f"{name}.c_n"] = c_n
    loss.backward()
    OUT[f"{name}.input"] = x
    OUT[f"{name}.output"] = out
    OUT[f"{name}.h_n"] = h_n
    OUT[f"{name}.grad.input"] = x.grad
    if h0 is not None:
        OUT[f"{name}.h0"] = h0
        OUT[f"{name}.grad.h0"] = h0.grad
    if c0 is not None:
        OUT[f"{name}.c0"] = c0
        OUT[f"{name}.grad.c0"] = c0.grad
    if lengths is not None:
        OUT[f"{name}.lengths"] = torch.tensor(lengths, dtype=torch.int64)
    for pn, p in m.named_parameters():
        OUT[f"{name}.state.{pn}"] = p
        OUT[f"{name}.grad.{pn}"] = p.grad


def cell_case(name, cls, kw):
    torch.manual_seed(0)
    m = randomize(cls(INPUT, HIDDEN, **kw))
    B = 3
    x = randn(B, INPUT).requires_grad_()
    h = randn(B, HIDDEN, scale=0.5).requires_grad_()
    OUT[f"{name}.input"] = x
    OUT[f"{name}.h0"] = h
    if cls is nn.LSTMCell:
        c = randn(B, HIDDEN, scale=0.5).requires_grad_()
        h1, c1 = m(x, (h, c))
        w_h, w_c = randn(B, HIDDEN), randn(B, HIDDEN)
        ((h1 * w_h).sum() + (c1 * w_c).sum()).backward()
        OUT[f"{name}.c0"] = c
        OUT[f"{name}.c_n"] = c1
        OUT[f"{name}.w_c"] = w_c
        OUT[f"{name}.grad.c0"] = c.grad
    else:
        h1 = m(x, h)
        w_h = randn(B, HIDDEN)
        (h1 * w_h).sum().backward()
    OUT[f"{name}.h_n"] = h1
    OUT[f"{name}.w_h"] = w_h
    OUT[f"{name}.grad.input"] = x.grad
    OUT[f"{name}.grad.h0"] = h.grad
    for pn, p in m.named_parameters():
        OUT[f"{name}.state.{pn}"] = p
        OUT[f"{name}.grad.{pn}"] = p.grad


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "recurrent",
                                                             "recurrent_reference.safetensors")
    torch.set_default_dtype(torch.float32)
    for n, c in CASES.items():
        sequence_case(n, *c)
    cell_case("rnncell_tanh", nn.RNNCell, {})
    cell_case("rnncell_relu", nn.RNNCell, dict(nonlinearity="relu"))
    cell_case("lstmcell", nn.LSTMCell, {})
    cell_case("grucell", nn.GRUCell, {})
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    st.save_file({k: v.detach().contiguous() for k, v in OUT.items()}, out,
                 {"generator": "make_recurrent_reference.py", "torch": torch.__version__})
    print(f"wrote {len(OUT)} tensors, {os.path.getsize(out)} bytes to {out}")

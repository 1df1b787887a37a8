#!/usr/bin/python3
"""The PyTorch side of Deneb's side-by-side workloads (see README.md next to this file).

Run with Debian's PyTorch on CPU, through OpenBLAS:
    apt-get install -y python3-torch libopenblas0-openmp
    /usr/bin/python3 benchmarks/peers/torch_peer.py --threads 1,2 > torch.jsonl
    /usr/bin/python3 benchmarks/peers/torch_peer.py --workloads gru,gcn --threads 1 > torch.jsonl

Each (workload, threads) runs in a fresh child process so that the thread variables and the BLAS library are set
before torch is imported. Output: one JSON object per line, as README.md describes; progress goes to stderr.
Needs nothing but the standard library, PyTorch and benchutil.py from this folder.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchutil import measure, wait_idle  # noqa: E402

OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"

# Imported in the child process only, after the thread and BLAS variables are set (see child()).
torch = nn = F = None
VERSIONS = {}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def emit(workload, case, threads, metric, value, better, **extra):
    rec = {"system": "pytorch", "workload": workload, "case": case, "threads": threads,
           "metric": metric, "value": round(value, 6), "better": better}
    rec.update(VERSIONS)
    rec.update(extra)
    print(json.dumps(rec), flush=True)


def timed_steps(step_fn, warm, blocks, per_block):
    """Median seconds per step over `blocks` clean blocks of `per_block` steps, after `warm` steps."""
    for _ in range(warm):
        step_fn()

    def one_block():
        t0 = time.perf_counter()
        for _ in range(per_block):
            loss = step_fn()
        float(loss)
        return (time.perf_counter() - t0) / per_block

    return measure(one_block, k_clean=blocks, max_samples=3 * blocks, log=log)


def classifier_step(net, xs, ys, lr=1e-3):
    """Zero grad, forward, cross-entropy, backward, Adam step, cycling through the fixed batches xs, ys."""
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    it = [0]

    def step():
        k = it[0] % len(xs)
        it[0] += 1
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(xs[k]), ys[k])
        loss.backward()
        opt.step()
        return loss
    return step


def micros_per_call(fn):
    """Median µs per fn() after 100 warm-up calls, in blocks of about 0.2 s (from the time of 20 calls)."""
    for _ in range(100):
        fn()
    t0 = time.perf_counter()
    for _ in range(20):
        fn()
    reps = int(max(20, min(100000, 0.2 / ((time.perf_counter() - t0) / 20))))

    def sample():
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t0) / reps * 1e6
    return measure(sample, k_clean=7, max_samples=20, log=log)


def openblas_core():
    """The kernel OpenBLAS chose for this CPU (e.g. Cooperlake, SkylakeX, Haswell, Zen)."""
    import ctypes
    try:
        f = ctypes.CDLL(os.path.join(OPENBLAS, "libblas.so.3")).openblas_get_corename
        f.restype = ctypes.c_char_p
        return f().decode()
    except (OSError, AttributeError):
        return "?"


# ---------------------------------------------------------------------------------------------- the networks


def cnn_net():
    """The small MNIST CNN of `cnn` (and `infer_b1` mnist_cnn_b1)."""
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))


def recurrent_net(cell):
    """`lstm` / `gru`: one batch-first recurrent layer (input 32, hidden 128), Linear 128→10 on the last step."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = cell(32, 128, num_layers=1, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.fc(out[:, -1, :])
    return Net()


def transformer_net():
    """`transformer` (and `infer_b1` transformer_b1_t64): one encoder layer, mean over the sequence, Linear 128→10."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.TransformerEncoderLayer(d_model=128, nhead=4, dim_feedforward=512, dropout=0.0,
                                                  batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            return self.fc(self.enc(x).mean(dim=1))
    return Net()


def conv_bn_net():
    """`conv_bn`: a residual block (conv3x3-BN-ReLU-conv3x3-BN, + x, ReLU), global average pool, Linear 32→10."""
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(32, 32, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(32)
            self.conv2 = nn.Conv2d(32, 32, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(32)
            self.fc = nn.Linear(32, 10)

        def forward(self, x):
            h = F.relu(self.bn1(self.conv1(x)))
            h = F.relu(self.bn2(self.conv2(h)) + x)
            return self.fc(h.mean(dim=(2, 3)))
    return Net()


def random_graph(nodes, edges, seed):
    """`edges` distinct undirected pairs without self-loops, both directions of each, as (sources, targets).

    Drawn with splitmix64 from `seed`, exactly as GcnWorkload.randomGraph on Deneb's side (same graph)."""
    mask = (1 << 64) - 1

    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)
    state, seen, a, b = seed, set(), [], []
    while len(a) < edges:
        state = (state + 0x9E3779B97F4A7C15) & mask
        u = mix(state) % nodes
        state = (state + 0x9E3779B97F4A7C15) & mask
        v = mix(state) % nodes
        if u != v and min(u, v) * nodes + max(u, v) not in seen:
            seen.add(min(u, v) * nodes + max(u, v))
            a.append(u)
            b.append(v)
    return a + b, b + a


def normalized_adjacency(sources, targets, nodes):
    """D^-1/2 (A + I) D^-1/2 as a sparse COO matrix [nodes, nodes]: row = target, column = source, D = in-degrees."""
    loops = torch.arange(nodes)
    src = torch.cat([torch.tensor(sources), loops])
    dst = torch.cat([torch.tensor(targets), loops])
    deg = torch.zeros(nodes).index_add_(0, dst, torch.ones(dst.numel()))
    dinv = deg.pow(-0.5)
    coef = dinv[src] * dinv[dst]
    return torch.sparse_coo_tensor(torch.stack([dst, src]), coef, (nodes, nodes)).coalesce()


# ---------------------------------------------------------------------------------------------- the workloads


def w_sgemm(n):
    for s in (64, 128, 256, 512, 1024, 2048):
        a, b, c = torch.randn(s, s), torch.randn(s, s), torch.empty(s, s)
        t0 = time.perf_counter()
        torch.mm(a, b, out=c)
        iters = max(1, min(200, int(0.25 / max(time.perf_counter() - t0, 1e-7))))
        for _ in range(min(iters, 20)):
            torch.mm(a, b, out=c)

        def sample():
            t0 = time.perf_counter()
            for _ in range(iters):
                torch.mm(a, b, out=c)
            return 2.0 * s ** 3 * iters / (time.perf_counter() - t0) / 1e9
        m = measure(sample, k_clean=7, max_samples=20, log=log)
        emit("sgemm", f"n={s}", n, "gflops", m["median"], "higher")


def w_dispatch(n):
    for size in (1, 1000):
        a, b = torch.randn(size), torch.randn(size)
        reps = 200000
        for _ in range(20000):
            a + b

        def sample():
            t0 = time.perf_counter()
            for _ in range(reps):
                a + b
            return (time.perf_counter() - t0) / reps * 1e6
        m = measure(sample, k_clean=7, max_samples=20, log=log)
        emit("dispatch", f"add_{size}", n, "us_per_op", m["median"], "lower")
    a, b, c = (torch.randn(1, requires_grad=True) for _ in range(3))
    reps = 20000
    for _ in range(2000):
        (a * b + c).sum().backward()

    def sample():
        t0 = time.perf_counter()
        for _ in range(reps):
            (a * b + c).sum().backward()
        return (time.perf_counter() - t0) / reps * 1e6
    m = measure(sample, k_clean=7, max_samples=20, log=log)
    emit("dispatch", "autograd_tiny", n, "us_per_iter", m["median"], "lower")


def w_mlp(n):
    N, bs = 60000, 128
    X, Y = torch.randn(N, 784), torch.randint(0, 10, (N,))
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
        return loss
    for _ in range(50):
        step(X[:bs], Y[:bs])

    def epoch():
        t0 = time.perf_counter()
        for i in range(0, N, bs):
            loss = step(X[i:i + bs], Y[i:i + bs])
        float(loss)
        return time.perf_counter() - t0
    m = measure(epoch, k_clean=3, max_samples=8, log=log)
    emit("mlp", "epoch_60000_b128", n, "s_per_epoch", m["median"], "lower")


def w_cnn(n):
    step = classifier_step(cnn_net(), torch.randn(16, 64, 1, 28, 28), torch.randint(0, 10, (16, 64)))
    m = timed_steps(step, 20, 5, 40)
    emit("cnn", "step_b64", n, "ms_per_step", 1000 * m["median"], "lower")


def w_lstm(n):
    step = classifier_step(recurrent_net(nn.LSTM), torch.randn(8, 64, 50, 32), torch.randint(0, 10, (8, 64)))
    m = timed_steps(step, 10, 5, 20)
    emit("lstm", "step_b64_t50_h128", n, "ms_per_step", 1000 * m["median"], "lower")


def w_gru(n):
    step = classifier_step(recurrent_net(nn.GRU), torch.randn(8, 64, 50, 32), torch.randint(0, 10, (8, 64)))
    m = timed_steps(step, 10, 5, 20)
    emit("gru", "step_b64_t50_h128", n, "ms_per_step", 1000 * m["median"], "lower")


def w_transformer(n):
    step = classifier_step(transformer_net(), torch.randn(8, 32, 64, 128), torch.randint(0, 10, (8, 32)))
    m = timed_steps(step, 10, 5, 20)
    emit("transformer", "step_b32_t64_d128", n, "ms_per_step", 1000 * m["median"], "lower")


def w_conv_bn(n):
    step = classifier_step(conv_bn_net(), torch.randn(8, 32, 32, 32, 32), torch.randint(0, 10, (8, 32)))
    m = timed_steps(step, 10, 5, 20)
    emit("conv_bn", "step_b32_c32_32x32", n, "ms_per_step", 1000 * m["median"], "lower")


def w_gcn(n):
    nodes, features, hidden, classes, train = 2708, 1433, 16, 7, 140
    adj = normalized_adjacency(*random_graph(nodes, 5278, 0), nodes)
    train_nodes = torch.arange(train)

    class Net(nn.Module):
        """Kipf & Welling's GCN (no bias, dropout 0): Â·X·W1 → ReLU → Â·H·W2; logits of the training nodes."""
        def __init__(self):
            super().__init__()
            self.lin1 = nn.Linear(features, hidden, bias=False)
            self.lin2 = nn.Linear(hidden, classes, bias=False)
            nn.init.xavier_uniform_(self.lin1.weight)
            nn.init.xavier_uniform_(self.lin2.weight)

        def forward(self, x):
            h = F.relu(torch.sparse.mm(adj, self.lin1(x)))
            return torch.sparse.mm(adj, self.lin2(h)).index_select(0, train_nodes)
    x = torch.bernoulli(torch.full((nodes, features), 0.0127))
    y = torch.randint(0, classes, (nodes,)).index_select(0, train_nodes)
    step = classifier_step(Net(), [x], [y], lr=0.01)
    m = timed_steps(step, 20, 5, 20)
    emit("gcn", "step_cora", n, "ms_per_step", 1000 * m["median"], "lower", dropout=0.0)


def w_infer_b1(n):
    cnn = cnn_net().eval()
    transformer = transformer_net().eval()
    image, sequence = torch.randn(1, 1, 28, 28), torch.randn(1, 64, 128)
    with torch.no_grad():
        m = micros_per_call(lambda: cnn(image))
        emit("infer_b1", "mnist_cnn_b1", n, "us_per_call", m["median"], "lower")
        m = micros_per_call(lambda: transformer(sequence))
        emit("infer_b1", "transformer_b1_t64", n, "us_per_call", m["median"], "lower")


WORKLOADS = {"sgemm": w_sgemm, "dispatch": w_dispatch, "mlp": w_mlp, "cnn": w_cnn, "lstm": w_lstm,
             "transformer": w_transformer, "gru": w_gru, "conv_bn": w_conv_bn, "gcn": w_gcn, "infer_b1": w_infer_b1}


def child(workload, n):
    global torch, nn, F
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.set_num_threads(n)
    torch.manual_seed(0)
    wait_idle(log=log)
    VERSIONS.update(version=torch.__version__, blas_core=openblas_core())
    WORKLOADS[workload](n)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--child", nargs=2, metavar=("WORKLOAD", "THREADS"))
    a = ap.parse_args()
    if a.child:
        child(a.child[0], int(a.child[1]))
        return
    names = [w.strip() for w in a.workloads.split(",")]
    unknown = [w for w in names if w not in WORKLOADS]
    if unknown:
        raise SystemExit(f"unknown workload {unknown[0]!r}; known: {', '.join(WORKLOADS)}")
    for w in names:
        for t in a.threads.split(","):
            env = dict(os.environ, OMP_NUM_THREADS=t, OPENBLAS_NUM_THREADS=t, MKL_NUM_THREADS=t,
                       LD_LIBRARY_PATH=OPENBLAS)
            # The peer runs its best kernel: the environment may pin OpenBLAS to an older core type (see README.md).
            for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
                env.pop(k, None)
            log(f"# pytorch {w} threads={t}")
            r = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", w, t], env=env)
            if r.returncode != 0:
                log(f"# {w} threads={t} failed with exit code {r.returncode}")


if __name__ == "__main__":
    main()

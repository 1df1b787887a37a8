#!/usr/bin/python3
"""PyTorch's side of the MNIST peak-memory comparison: the `mnist` example of Deneb, written in PyTorch.

Same networks (examples/.../mnist/MnistModels.java), data pipeline (images as f32 in [0, 1] held in one tensor,
a shuffled batch gathered with index_select, then normalised with mean 0.1307 and std 0.3081), batch size 64
(last short batch kept), Adam 1e-3 with cosine annealing per epoch, cross-entropy, and the test pass (batch 1000,
no_grad) after every epoch. The IDX files are read here, so nothing but torch and numpy is needed.

Measure the peak resident set size with GNU time, as for the Java example:

    /usr/bin/time -v /usr/bin/python3 benchmarks/peers/mnist_peak_rss.py --model mlp --epochs 1 \
        --data ../shared/data/mnist 2>&1 | grep -E 'accuracy|Maximum resident'

The script also prints its own peak (getrusage), which is the same figure.
"""
import argparse
import gzip
import math
import os
import resource
import sys
import time


def read_idx(path):
    """An IDX file of unsigned bytes (gzipped or not) as a numpy uint8 array of its declared shape."""
    import numpy as np
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * d:8 + 4 * d], "big") for d in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def locate(folder, name):
    for candidate in (os.path.join(folder, name + ".gz"), os.path.join(folder, name)):
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(f"neither {name}.gz nor {name} in {folder}")


def load(torch, folder, train):
    prefix = "train" if train else "t10k"
    images = read_idx(locate(folder, prefix + "-images-idx3-ubyte"))
    labels = read_idx(locate(folder, prefix + "-labels-idx1-ubyte"))
    # As Deneb's Mnist.load: f32 [N, 1, 28, 28] in [0, 1], i64 labels.
    x = torch.from_numpy(images.copy()).float().div_(255).unsqueeze(1)
    y = torch.from_numpy(labels.astype("int64"))
    return x, y


def models(nn):
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                        nn.Linear(128, 10))
    cnn = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25),
        nn.Linear(1600, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))
    return {"mlp": mlp, "cnn": cnn}


def normalize(x):
    return (x - 0.1307) / 0.3081


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads (default: all cores)")
    p.add_argument("--data", default=os.path.join("..", "shared", "data", "mnist"),
                   help="folder with the MNIST IDX files, or the folder that holds mnist/")
    a = p.parse_args()

    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    folder = a.data
    if os.path.isdir(os.path.join(folder, "mnist")):
        folder = os.path.join(folder, "mnist")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train_x, train_y = load(torch, folder, True)
    test_x, test_y = load(torch, folder, False)
    net = models(nn)[a.model]
    print(f"MNIST {a.model}: {sum(t.numel() for t in net.parameters()):,} parameters, {len(train_x)} training and "
          f"{len(test_x)} test images, {torch.get_num_threads()} threads, torch {torch.__version__}", flush=True)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs)
    shuffle = torch.Generator().manual_seed(a.seed)
    n = len(train_x)
    batches = math.ceil(n / a.batch_size)
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        net.train()
        order = torch.randperm(n, generator=shuffle)
        loss_sum, correct = 0.0, 0
        for k in range(batches):
            idx = order[k * a.batch_size:(k + 1) * a.batch_size]
            x = normalize(train_x.index_select(0, idx))
            y = train_y.index_select(0, idx)
            opt.zero_grad()
            logits = net(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += int((logits.detach().argmax(1) == y).sum())
        schedule.step()
        net.eval()
        test_correct = 0
        with torch.no_grad():
            for k in range(0, len(test_x), 1000):
                logits = net(normalize(test_x[k:k + 1000]))
                test_correct += int((logits.argmax(1) == test_y[k:k + 1000]).sum())
        print(f"epoch {epoch:2d}/{a.epochs}  loss {loss_sum / n:.4f}  train acc {100 * correct / n:.2f}%  "
              f"test acc {100 * test_correct / len(test_x):.2f}%  {time.perf_counter() - start:.1f} s", flush=True)
    print(f"test accuracy: {100 * test_correct / len(test_x):.2f}%")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB", file=sys.stderr)


if __name__ == "__main__":
    main()

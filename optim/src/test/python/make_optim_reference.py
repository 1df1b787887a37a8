#!/usr/bin/python3
"""Writes the PyTorch reference fixtures that Deneb's optim parity tests read.

Run by hand (not by the build), with PyTorch 1.13 on the CPU:

    /usr/bin/python3 optim/src/test/python/make_optim_reference.py

It writes three JSON files under optim/src/test/resources/torch-reference/:
  optimizers.json  two float64 parameters ([3, 4] and [4]) updated for 5 steps with fixed gradients, one case per
                   optimizer and option combination; the parameters are recorded after every step
  schedulers.json  the learning rates of a two-group SGD optimizer under each scheduler, epoch by epoch
  clip.json        clip_grad_norm_ / clip_grad_value_ results on fixed gradients

Parameters and gradients come from simple closed formulas (below) and are written into the files too, so the Java
side does not have to re-derive them.
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "torch-reference")
SHAPES = [[3, 4], [4]]
STEPS = 5
EPOCHS = 20


def init_param(j):
    n = math.prod(SHAPES[j])
    # never zero, alternating sign, so relative comparisons stay meaningful
    vals = [(0.5 + 0.1 * i + 0.3 * j) * (1 if i % 2 == 0 else -1) for i in range(n)]
    return torch.tensor(vals).reshape(SHAPES[j])


def grad_at(step, j):
    n = math.prod(SHAPES[j])
    vals = [math.sin(0.9 * i + 0.5 * step + 0.3 * j) * (1.0 + 0.2 * step) for i in range(n)]
    return torch.tensor(vals).reshape(SHAPES[j])


def r12(v):
    # 12 significant digits: far below the tests' tolerances, and keeps the files small
    return float("%.12g" % v)


def flat(t):
    return [r12(v) for v in t.detach().reshape(-1).tolist()]


# name, optimizer class, options, per-group options (None: one group holding both params)
OPTIMIZER_CASES = [
    ("sgd_plain", torch.optim.SGD, dict(lr=0.1), None),
    ("sgd_momentum_dampening", torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.5), None),
    ("sgd_nesterov_weight_decay", torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
     None),
    ("adam", torch.optim.Adam, dict(lr=0.01), None),
    ("adam_amsgrad_weight_decay", torch.optim.Adam,
     dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True), None),
    ("adam_groups", torch.optim.Adam, dict(lr=0.01), [dict(lr=0.02), dict(lr=0.005, weight_decay=0.05)]),
    ("adamw", torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1), None),
    ("adamw_amsgrad", torch.optim.AdamW, dict(lr=0.02, betas=(0.85, 0.95), amsgrad=True), None),
    ("rmsprop", torch.optim.RMSprop, dict(lr=0.01), None),
    ("rmsprop_centered_momentum", torch.optim.RMSprop,
     dict(lr=0.01, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.05), None),
    ("adagrad", torch.optim.Adagrad, dict(lr=0.1), None),
    ("adagrad_lr_decay", torch.optim.Adagrad,
     dict(lr=0.1, lr_decay=0.05, weight_decay=0.02, initial_accumulator_value=0.1, eps=1e-8), None),
]


def java_options(opts):
    # betas=(b1, b2) becomes beta1/beta2, the names Deneb's hyper-parameter maps use
    out = {}
    for k, v in opts.items():
        if k == "betas":
            out["beta1"], out["beta2"] = v
        else:
            out[k] = float(v) if not isinstance(v, bool) else v
    return out


def optimizer_fixtures():
    cases = []
    for name, cls, opts, groups in OPTIMIZER_CASES:
        params = [init_param(j).requires_grad_(True) for j in range(len(SHAPES))]
        if groups is None:
            opt = cls(params, **opts)
        else:
            opt = cls([dict(params=[p], **g) for p, g in zip(params, groups)], **opts)
        steps = []
        for k in range(STEPS):
            for j, p in enumerate(params):
                p.grad = grad_at(k, j)
            opt.step()
            steps.append([flat(p) for p in params])
        cases.append(dict(name=name, optimizer=cls.__name__, options=java_options(opts),
                          groups=None if groups is None else [java_options(g) for g in groups], steps=steps))
    return dict(torch=torch.__version__, shapes=SHAPES,
                init=[flat(init_param(j)) for j in range(len(SHAPES))],
                grads=[[flat(grad_at(k, j)) for j in range(len(SHAPES))] for k in range(STEPS)],
                cases=cases)


def sgd_two_groups(momentum=0.9):
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    return torch.optim.SGD([dict(params=[a], lr=0.1), dict(params=[b], lr=0.05)], lr=0.1, momentum=momentum)


SCHEDULER_CASES = [
    ("step", "StepLR", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
     dict(step_size=3, gamma=0.5)),
    ("multi_step", "MultiStepLR", lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 9], gamma=0.3),
     dict(milestones=[2, 5, 9], gamma=0.3)),
    ("exponential", "ExponentialLR", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
     dict(gamma=0.9)),
    ("cosine", "CosineAnnealingLR", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
     dict(t_max=10, eta_min=0.001)),
    ("cosine_zero_min", "CosineAnnealingLR", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7),
     dict(t_max=7, eta_min=0.0)),
    ("linear_warmup", "LinearLR",
     lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4),
     dict(start_factor=0.25, end_factor=1.0, total_iters=4)),
    ("linear_decay", "LinearLR",
     lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=8),
     dict(start_factor=1.0, end_factor=0.1, total_iters=8)),
    ("one_cycle", "OneCycleLR",
     lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=25),
     dict(max_lr=[0.5, 0.2], total_steps=25)),
    ("one_cycle_linear_three_phase", "OneCycleLR",
     lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.4, total_steps=22, pct_start=0.25,
                                                   anneal_strategy="linear", div_factor=10.0,
                                                   final_div_factor=100.0, three_phase=True,
                                                   base_momentum=0.8, max_momentum=0.9),
     dict(max_lr=[0.4, 0.4], total_steps=22, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
          final_div_factor=100.0, three_phase=True, base_momentum=0.8, max_momentum=0.9)),
]

PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.91, 0.92, 0.895, 0.9, 0.9, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85,
                   0.85, 0.85, 0.85, 0.85]
PLATEAU_CASES = [
    ("plateau_min_rel", dict(mode="min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel", cooldown=1,
                             min_lr=0.01)),
    ("plateau_max_abs", dict(mode="max", factor=0.3, patience=1, threshold=0.02, threshold_mode="abs", cooldown=0,
                             min_lr=0.0)),
]


def scheduler_fixtures():
    cases = []
    for name, cls, make, opts in SCHEDULER_CASES:
        opt = sgd_two_groups()
        sched = make(opt)
        lrs, moms = [], []
        for epoch in range(EPOCHS + 1):
            if epoch > 0:
                opt.step()
                sched.step()
            lrs.append([r12(v) for v in sched.get_last_lr()])
            moms.append([r12(g["momentum"]) for g in opt.param_groups])
        case = dict(name=name, scheduler=cls, options=opts, lrs=lrs)
        if cls == "OneCycleLR":
            case["momentum"] = moms  # OneCycleLR cycles the momentum too
        cases.append(case)
    for name, opts in PLATEAU_CASES:
        opt = sgd_two_groups()
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **opts)
        lrs = []
        for m in PLATEAU_METRICS:
            sched.step(m)
            lrs.append([r12(g["lr"]) for g in opt.param_groups])
        cases.append(dict(name=name, scheduler="ReduceLROnPlateau", options=opts, metrics=PLATEAU_METRICS,
                          lrs=lrs))
    return dict(torch=torch.__version__, base_lrs=[0.1, 0.05], momentum=0.9, cases=cases)


def clip_fixtures():
    grads = [grad_at(1, j) * 3 for j in range(len(SHAPES))]
    cases = []
    for max_norm, norm_type in [(1.0, 2.0), (0.5, math.inf), (100.0, 1.0), (2.0, 3.0)]:
        params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append(dict(kind="norm", max_norm=max_norm, norm_type="inf" if math.isinf(norm_type) else norm_type,
                          total_norm=r12(float(total)), grads=[flat(p.grad) for p in params]))
    params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.7)
    cases.append(dict(kind="value", clip_value=0.7, grads=[flat(p.grad) for p in params]))
    return dict(torch=torch.__version__, shapes=SHAPES, grads=[flat(g) for g in grads], cases=cases)


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("optimizers.json", optimizer_fixtures())
    write("schedulers.json", scheduler_fixtures())
    write("clip.json", clip_fixtures())

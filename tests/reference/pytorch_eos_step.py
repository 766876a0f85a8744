"""PyTorch reference for `deno task perf`: the EoS reference MLP step and HVP.

Prints a JSON list of rows {benchmark, medianMs, minMs, maxMs, reps, extra}.
Exits non-zero with one line on stderr when torch is not importable.

With `serve` as the only argument it prints one JSON line of versions, then
reads commands from stdin, one a line (`step` or `hvp`), runs that benchmark
once and prints its wall time and this process's CPU time (all threads) in ms;
`deno task perf` uses this to alternate phasebench and PyTorch repetition by
repetition on a loaded machine.
"""
import json
import statistics
import sys
import time

try:
    import torch
except Exception as e:  # noqa: BLE001
    print(f"import torch failed: {e}", file=sys.stderr)
    sys.exit(3)

serve = len(sys.argv) > 1 and sys.argv[1] == "serve"
reps = int(sys.argv[1]) if len(sys.argv) > 1 and not serve else 5
torch.manual_seed(1)
x = torch.randn(1000, 3072)
y = torch.randn(1000, 10)
model = torch.nn.Sequential(
    torch.nn.Linear(3072, 200), torch.nn.Tanh(),
    torch.nn.Linear(200, 200), torch.nn.Tanh(),
    torch.nn.Linear(200, 10),
)
params = list(model.parameters())


def loss_fn():
    return 0.5 * ((model(x) - y) ** 2).sum(1).mean()


def step():
    loss = loss_fn()
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        for p, g in zip(params, grads):
            p -= 0.01 * g


v = [torch.randn_like(p) for p in params]


def hvp():
    loss = loss_fn()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    dot = sum((g * vi).sum() for g, vi in zip(grads, v))
    torch.autograd.grad(dot, params)


def openblas_threads():
    """OpenBLAS's own thread count (torch.get_num_threads does not set it), or '?'."""
    try:
        import ctypes
        for name in ("libopenblas.so.0", "libblas.so.3"):
            try:
                return ctypes.CDLL(name).openblas_get_num_threads()
            except (OSError, AttributeError):
                continue
    except Exception:  # noqa: BLE001
        pass
    return "?"


extra = f"torch={torch.__version__} threads={torch.get_num_threads()} openblas_threads={openblas_threads()}"

if serve:
    step()
    hvp()
    print(json.dumps({"extra": extra}), flush=True)
    for line in sys.stdin:
        fn = {"step": step, "hvp": hvp}[line.strip()]
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        print((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, flush=True)
    sys.exit(0)

rows = []
for name, fn in (("pytorch_eos_ref_gd_step", step), ("pytorch_eos_ref_hvp", hvp)):
    fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    rows.append({"benchmark": name, "medianMs": statistics.median(times), "minMs": min(times),
                 "maxMs": max(times), "reps": reps, "extra": extra})
print(json.dumps(rows))

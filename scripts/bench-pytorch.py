"""PyTorch's side of scripts/bench-pytorch.sh: the network of
bench/benches/training.rs, 784 => 128 ReLU => 10 Linear, trained with half
squared error (summed over the outputs, averaged over the batch, as
`train_batch` does) and plain SGD, f32, on one thread, at each batch size
given. Prints one line per batch size, `batch <n> <median µs per sample>`,
the median over ROUNDS timings of STEPS steps each.

Exits with status 3 and a message on stderr if PyTorch is not installed;
nothing in CI needs it.

    python3 scripts/bench-pytorch.py 1 32 128
"""

import os
import statistics
import sys
import time

try:
    import torch
except ImportError:
    print("PyTorch is not installed (`python3 -c 'import torch'` fails): skipping its side.",
          file=sys.stderr)
    sys.exit(3)

ROUNDS = int(os.environ.get("ROUNDS", "7"))
# Enough steps that one timing takes tens of milliseconds at every batch size.
SAMPLES_PER_ROUND = int(os.environ.get("SAMPLES", "4096"))


def main(batches):
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    # The Rust side's small learning rate: the work stays alike step to step.
    opt = torch.optim.SGD(model.parameters(), lr=1e-6)
    xs = torch.rand(128, 784) * 2 - 1
    ts = torch.rand(128, 10) * 2 - 1
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread", file=sys.stderr)
    for batch in batches:
        x, t = xs[:batch], ts[:batch]

        def step():
            opt.zero_grad(set_to_none=True)
            loss = 0.5 * ((model(x) - t) ** 2).sum(dim=1).mean()
            loss.backward()
            opt.step()

        steps = max(1, SAMPLES_PER_ROUND // batch)
        for _ in range(steps):
            step()
        times = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for _ in range(steps):
                step()
            times.append((time.perf_counter() - start) / (steps * batch))
        print(f"batch {batch} {1e6 * statistics.median(times):.3f}")


if __name__ == "__main__":
    main([int(b) for b in sys.argv[1:]] or [1, 32, 128])

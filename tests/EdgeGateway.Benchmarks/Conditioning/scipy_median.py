"""Times scipy.ndimage.median_filter(x, 7) on 20 million float32 samples.

The reference figure for the Hampel(7) benchmark (HampelQuickBenchmark). Run with Debian's
interpreter, which has python3-scipy:

    /usr/bin/python3 tests/EdgeGateway.Benchmarks/Conditioning/scipy_median.py [--samples N] [--repeats R]

Prints one JSON line: name, samplesPerSecond (wall clock, best of the repeats), samplesPerCpuSecond
(process CPU time, best of the repeats; median_filter is single-threaded), seconds, and the versions.
"""
import argparse
import json
import os
import time

import numpy as np
import scipy
import scipy.ndimage


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    # Same signal shape as the .NET benchmark: a noisy sine with occasional spikes.
    rng = np.random.default_rng(42)
    n = args.samples
    t = np.arange(n, dtype=np.float64)
    x = (np.sin(t * 0.001) * 10.0 + rng.normal(0.0, 0.5, n)).astype(np.float32)
    spikes = rng.random(n) < 0.001
    x[spikes] += 25.0
    out = np.empty_like(x)

    best = float("inf")
    best_cpu = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        cpu_start = time.process_time()
        scipy.ndimage.median_filter(x, size=7, output=out)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)

    print(json.dumps({
        "name": "scipy.ndimage.median_filter(7)",
        "samplesPerSecond": round(n / best, 1),
        "seconds": round(best, 4),
        "samplesPerCpuSecond": round(n / best_cpu),
        "samples": n,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", ""),
    }))


if __name__ == "__main__":
    main()

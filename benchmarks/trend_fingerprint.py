"""A fingerprint of the trend detector on simulated diaries without any procedure.

.venv/bin/python benchmarks/trend_fingerprint.py [--series 28] [--checkout PATH]

Runs `analyse` (every figure of its result, as JSON) on every 9th of the last 130 days and
`daily_rules` on the last 200 days of diaries from `benchmarks.trend_sim` (stable, a step, a
three-week fall, ±10-15 % a month, a seasonal swing over 18 months, a dip; AR(1) phi 0, 0.3,
0.6; fixed seed), and prints how many results it hashed and their SHA-256. Run it on two
checkouts (`--checkout` puts that checkout's `tracker` first on the path): equal hashes mean a
change left diaries without a procedure exactly as they were.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import timedelta
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=28)
    ap.add_argument("--checkout", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))
    # deferred: the checkout to fingerprint is only known once the arguments are read
    import numpy as np

    from benchmarks import trend_sim as sim
    from tracker.domain.trend import analyse, daily_rules

    rng = np.random.default_rng(7)
    shapes = [
        sim.stable,
        sim.step(0.4, 200),
        sim.fall(0.35, 210),
        sim.monthly(15, 190),
        sim.monthly(-10, 190),
        sim.seasonal(0.15, 0.3),
        sim.dip(0.4, 220, 10),
    ]
    digest = hashlib.sha256()
    results = 0
    for k in range(args.series):
        days = 560 if k % len(shapes) == 5 else 320
        d = sim.diary(rng, days, shapes[k % len(shapes)], cv=0.25, phi=(0.0, 0.3, 0.6)[k % 3])
        for offset in range(days - 130, days, 9):
            r = analyse(d.walks, sim.START + timedelta(days=offset))
            digest.update(json.dumps(r.to_dict(), sort_keys=True, default=str).encode())
            results += 1
        first, last = (sim.START + timedelta(days=days - x) for x in (200, 1))
        rules = daily_rules(d.walks, first, last)
        digest.update(json.dumps([list(x) for x in rules], default=str).encode())
        results += len(rules)
    print(f"{results} results from {args.checkout.resolve()}: {digest.hexdigest()}")


if __name__ == "__main__":
    main()

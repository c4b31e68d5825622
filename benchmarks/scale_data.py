"""Big inputs for the scale benchmarks, generated once into a folder and reused.

`walks-N.db`: N walks over 10 years through `datasets.generate` (the real migrations);
`walks-N.csv`: N walks as a tracker walk CSV (the export's columns), written with `csv`
directly so making it costs no export.

    .venv/bin/python benchmarks/scale_data.py /tmp/i17 100000 1000000
"""

from __future__ import annotations

import csv
import math
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.datasets import END, generate
from tracker.domain.walks import WALK_COLUMNS

DAYS = 3650


def diary(folder: Path, walks: int) -> Path:
    path = folder / f"walks-{walks}.db"
    if not path.exists():
        generate(path, walks, DAYS)
    return path


def walk_csv(folder: Path, walks: int, *, seed: int = 2) -> Path:
    """`walks` distinct, valid walks (each minute of the period once, so none is a duplicate)."""
    path = folder / f"walks-{walks}.csv"
    if path.exists():
        return path
    rng = random.Random(seed)
    start = datetime.combine(END, datetime.min.time()) - timedelta(minutes=walks)
    partial = path.with_name(f".{path.name}.making")
    with partial.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(WALK_COLUMNS)
        for i in range(walks):
            at = start + timedelta(minutes=i)
            pf = round(250 * math.exp(rng.gauss(0, 0.25)), 1)
            no_pain = rng.random() < 0.1
            out.writerow(
                [
                    at.date().isoformat(),
                    at.strftime("%H:%M"),
                    pf,
                    "" if no_pain else round(pf * 1.6, 1),
                    "",
                    "true" if no_pain else "false",
                    "calf",
                    "left",
                    "" if no_pain else rng.randrange(3, 8),
                    round(rng.uniform(1, 6), 1),
                    "walk",
                    "" if rng.random() < 0.9 else "Grüße vom Weg",
                    "typed",
                    rng.choice(["", "30", "45"]),
                ]
            )
    partial.rename(path)
    return path


def main() -> None:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for n in map(int, sys.argv[2:]):
        print(walk_csv(folder, n), flush=True)
        print(diary(folder, n), flush=True)


if __name__ == "__main__":
    main()

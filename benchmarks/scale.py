"""Import and export at scale: peak memory and time, each against a floor run in the same
process tree, right before it, on the same input.

    .venv/bin/python benchmarks/scale.py --data /tmp/tracker-scale [--import 10000 100000]
        [--export 100000 1000000] [--pdf 1000000] [--log 10000 1000000 [--pairs 9]]

Inputs come from `scale_data.py` (generated once into --data, reused). Every command runs as a
child under `/usr/bin/time -v` (peak RSS = its "Maximum resident set size"); the wall time is
the child's. Floors:

- import: the same CSV parsed with the `csv` module and inserted with `sqlite3` `executemany`
  into a fresh diary's walk table, one transaction;
- CSV export: the walks selected with `sqlite3` and written with `csv`;
- JSON backup and `list --json`: the walks selected with `sqlite3`, one dict each, written with
  `json.dumps(indent=2)`;
- FHIR: as many dicts shaped like a walk's Observation entry, written with `json.dumps(indent=2)`
  one by one (the issue's "writing the same number of dicts with json").
- `tracker log` (on a copy of the diary, after two logs that do the day's full check and record
  it): `python -c "import sqlmodel"` (the target's floor), and the same walk inserted through
  plain `sqlite3` (the floor of the path); pairs (floor, ours) back to back, ratios per pair.
  The full command (typer and the ORM, `tracker.cli.main` called directly) is timed in the same
  rounds, for comparison.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_data import diary, walk_csv

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TRACKER = [PYTHON, "-m", "tracker"]

IMPORT_FLOOR = textwrap.dedent(
    """
    import csv, sqlite3, sys
    conn = sqlite3.connect(sys.argv[2])
    cols = ("walked_at", "pain_free_m", "max_m", "total_m", "no_pain", "location", "side",
            "pain", "rest_min", "method", "notes", "source", "duration_min",
            "created_at", "updated_at")
    def rows():
        with open(sys.argv[1], newline="", encoding="utf-8") as fh:
            r = csv.reader(fh)
            next(r)
            for d, t, pf, mx, tot, np, loc, side, pain, rest, m, notes, src, mins in r:
                at = f"{d} {t}:00.000000"
                yield (at, float(pf), float(mx) if mx else None, float(tot) if tot else None,
                       np == "true", loc or None, side or None, int(pain) if pain else None,
                       float(rest) if rest else None, m, notes, src,
                       float(mins) if mins else None, at, at)
    with conn:
        marks = ", ".join("?" * len(cols))
        conn.executemany(f"INSERT INTO walk ({', '.join(cols)}) VALUES ({marks})", rows())
    """
)

SELECT_FLOOR = textwrap.dedent(
    """
    import csv, json, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    out = open(sys.argv[3], "w", newline="", encoding="utf-8")
    cur = conn.execute("SELECT * FROM walk ORDER BY walked_at, id")
    names = [c[0] for c in cur.description]
    if sys.argv[2] == "csv":
        w = csv.writer(out, lineterminator="\\r\\n")
        w.writerow(names)
        for row in cur:
            w.writerow(row)
    else:
        out.write("[")
        for i, row in enumerate(cur):
            out.write(("," if i else "") + "\\n" + json.dumps(dict(zip(names, row)),
                      ensure_ascii=False, indent=2))
        out.write("\\n]\\n")
    out.close()
    """
)

FHIR_FLOOR = textwrap.dedent(
    """
    import json, sys
    n = int(sys.argv[1])
    q = lambda v, u: {"value": v, "unit": u, "system": "http://unitsofmeasure.org", "code": u}
    local = lambda c: {"coding": [{"system": "https://tracker.invalid/fhir/CodeSystem/walking",
                                   "code": c, "display": c.replace("-", " ")}]}
    out = open(sys.argv[2], "w", encoding="utf-8")
    out.write("[")
    for i in range(n):
        entry = {"fullUrl": f"urn:uuid:{i:032x}", "resource": {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                          "observation-category", "code": "activity", "display": "Activity"}]}],
            "code": {"coding": [{"system": "x", "code": "claudication-walk", "display": "w"},
                                {"system": "http://snomed.info/sct", "code": "165263003",
                                 "display": "Walking distance"}], "text": "Walk"},
            "subject": {"reference": "urn:uuid:p"}, "performer": [{"reference": "urn:uuid:p"}],
            "effectiveDateTime": "2026-01-01T09:00:00+00:00",
            "component": [{"code": local("pain-free-distance"),
                           "valueQuantity": q(250.0 + i % 7, "m")},
                          {"code": local("maximum-distance"), "valueQuantity": q(400.5, "m")},
                          {"code": local("relief-time"), "valueQuantity": q(3.5, "min")},
                          {"code": local("pain"), "valueInteger": 5},
                          {"code": local("method"), "valueCodeableConcept": local("walk")},
                          {"code": local("ended-without-pain"), "valueBoolean": False},
                          {"code": local("pain-location"), "valueString": "calf (left)"}]}}
        out.write(("," if i else "") + "\\n" + json.dumps(entry, ensure_ascii=False, indent=2))
    out.write("\\n]\\n")
    out.close()
    """
)


SQLITE_LOG_FLOOR = textwrap.dedent(
    """
    import sqlite3, sys
    from datetime import datetime, timezone
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
    at = datetime.now().replace(second=0, microsecond=0).isoformat(" ", "microseconds")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO walk (walked_at, pain_free_m, max_m, no_pain, method, notes, source,"
        " created_at, updated_at) VALUES (?, 180.0, 320.0, 0, 'walk', '', 'typed', ?, ?)",
        (at, now, now),
    )
    conn.execute("COMMIT")
    conn.close()
    print("Saved walk")
    """
)

FULL_LOG = "import sys; sys.argv[0] = 'tracker'; from tracker.cli import main; main()"
"""The full command, bypassing the fast path of `tracker.launch`."""


def run(argv: list[str], *, stdout: Path | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one child run under /usr/bin/time -v."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *argv], stdout=out, stderr=subprocess.PIPE, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    if stdout:
        out.close()  # type: ignore[union-attr]
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    return wall, (int(rss.group(1)) / 1024 if rss else float("nan"))


def row(what: str, n: int, ours: tuple[float, float], floor: tuple[float, float] | None) -> None:
    if floor is None:
        print(f"| {what} | {n:,} | {ours[0]:.1f} s | – | – | {ours[1]:.0f} MB |", flush=True)
        return
    print(
        f"| {what} | {n:,} | {ours[0]:.1f} s | {floor[0]:.1f} s | {ours[0] / floor[0]:.1f}x | "
        f"{ours[1]:.0f} MB (floor {floor[1]:.0f} MB) |",
        flush=True,
    )


def bench_import(data: Path, n: int, work: Path) -> None:
    source = walk_csv(data, n)
    empty = work / "empty.db"
    if not empty.exists():
        make = f"from tracker.db.opening import open_store; open_store({str(empty)!r}).close()"
        subprocess.run([PYTHON, "-c", make], cwd=ROOT, check=True)
    floor_db, ours_db = work / f"floor-{n}.db", work / f"ours-{n}.db"
    for db in (floor_db, ours_db):
        for side in ("", "-wal", "-shm"):
            Path(f"{db}{side}").unlink(missing_ok=True)
    shutil.copyfile(empty, floor_db)
    floor = run([PYTHON, "-c", IMPORT_FLOOR, str(source), str(floor_db)])
    ours = run([*TRACKER, "--db", str(ours_db), "import", str(source)])
    row("import CSV", n, ours, floor)


def bench_exports(data: Path, n: int, work: Path) -> None:
    db = diary(data, n)
    out = work / "out"
    for fmt in ("csv", "json"):
        floor = run([PYTHON, "-c", SELECT_FLOOR, str(db), fmt, str(out)])
        ours = run(
            [*TRACKER, "--db", str(db), "export", "--format", fmt, "--out", str(out), "--force"]
        )
        row(f"export {fmt}", n, ours, floor)
    floor = run([PYTHON, "-c", SELECT_FLOOR, str(db), "json", str(out)])
    ours = run([*TRACKER, "--db", str(db), "list", "--json"], stdout=out)
    row("list --json", n, ours, floor)
    floor = run([PYTHON, "-c", FHIR_FLOOR, str(n), str(out)])
    ours = run(
        [*TRACKER, "--db", str(db), "export", "--format", "fhir", "--out", str(out), "--force"]
    )
    row("export fhir", n, ours, floor)


def bench_pdf(data: Path, n: int, work: Path) -> None:
    db = diary(data, n)
    out = work / "out.pdf"
    ours = run(
        [*TRACKER, "--db", str(db), "export", "--format", "pdf", "--out", str(out), "--force"]
    )
    row("export pdf (target < 300 MB)", n, ours, None)


def bench_log(data: Path, n: int, work: Path, pairs: int) -> None:
    source = diary(data, n)
    db, plain_db = work / f"log-{n}.db", work / f"log-plain-{n}.db"
    shutil.copyfile(source, db)
    shutil.copyfile(source, plain_db)  # its writes are not tracker's: a copy of its own
    walk = ["log", "--pain-free", "180", "--max", "320", "--allow-duplicate"]
    ours = [*TRACKER, "--db", str(db), *walk]
    full = [PYTHON, "-c", FULL_LOG, "--db", str(db), *walk]
    run(ours)  # the first open of the copy: the full integrity check, recorded
    run(ours)  # the walk table's check from the recorded rowid
    rounds = []
    for _ in range(pairs):
        floor = run([PYTHON, "-c", "import sqlmodel"])[0]
        fast = run(ours)[0]
        plain = run([PYTHON, "-c", SQLITE_LOG_FLOOR, str(plain_db)])[0]
        fast_again = run(ours)[0]
        whole = run(full)[0]
        rounds.append((floor, fast, plain, fast_again, whole))
    ratios = sorted(r[1] / r[0] for r in rounds)
    plain_ratios = sorted(r[3] / r[2] for r in rounds)
    full_ratios = sorted(r[4] / r[0] for r in rounds)

    def med(i: int) -> float:
        return statistics.median(r[i] for r in rounds) * 1000

    print(
        f"| `tracker log` vs `import sqlmodel` | {n:,} | {med(1):.0f} ms | {med(0):.0f} ms | "
        f"{statistics.median(ratios):.2f}x (all {pairs}: {ratios[0]:.2f}-{ratios[-1]:.2f}x) | "
        f"target <= 1.2x in every run |",
        flush=True,
    )
    print(
        f"| `tracker log` vs plain `sqlite3` insert | {n:,} | {med(3):.0f} ms | {med(2):.0f} ms | "
        f"{statistics.median(plain_ratios):.2f}x ({plain_ratios[0]:.2f}-{plain_ratios[-1]:.2f}x) "
        "| |",
        flush=True,
    )
    print(
        f"| full command (typer, ORM) vs `import sqlmodel` | {n:,} | {med(4):.0f} ms | "
        f"{med(0):.0f} ms | {statistics.median(full_ratios):.2f}x "
        f"({full_ratios[0]:.2f}-{full_ratios[-1]:.2f}x) | |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "tracker-scale")
    parser.add_argument("--import", dest="imports", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--export", dest="exports", type=int, nargs="*", default=[100_000])
    parser.add_argument("--pdf", type=int, nargs="*", default=[])
    parser.add_argument("--log", dest="logs", type=int, nargs="*", default=[])
    parser.add_argument("--pairs", type=int, default=9, help="rounds of the log benchmark")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    print("| measure | walks | ours | floor | ratio | peak RSS |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        work = Path(tmp)
        for n in args.imports:
            bench_import(args.data, n, work)
        for n in args.exports:
            bench_exports(args.data, n, work)
        for n in args.pdf:
            bench_pdf(args.data, n, work)
        for n in args.logs:
            bench_log(args.data, n, work, args.pairs)


if __name__ == "__main__":
    main()

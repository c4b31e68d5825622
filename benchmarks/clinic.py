"""Clinic mode at scale, on a real PostgreSQL server: prints figures, is not a test.

    .venv/bin/python benchmarks/clinic.py [--patients 200] [--days 730] [--loggers 20]
        [--seconds 30]

Starts its own throwaway cluster (.ci/postgres, fsync on, PostgreSQL's other defaults), or
uses the superuser URL in TRACKER_BENCH_POSTGRES_URL. It builds a clinic through the real
commands (`clinic init`, `add-patient`, `add-therapist`), loads every patient's daily walks
for two years with COPY (a declining, a dropping and a steady kind of diary, noisy), then
measures:

1. the cohort view's data as a therapist opens it (`clinic list`'s work: every patient's
   dashboard summary and 4-week change, through row-level security), median of 5 runs:
   cold (the first view of the day: no line kept, every line computed and kept) and warm
   (nobody has logged since: every line kept), and once more after the loggers below
   (their lines computed again, the others kept);
2. `--loggers` patients logging walks at the same time for `--seconds` through the store's
   `add_walk` (what `tracker log` calls), each on their own login: walks each was told were
   saved, errors each saw, and the rows the server holds for each afterwards.
"""

from __future__ import annotations

import argparse
import io
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-walks-1"
NOW = datetime(2026, 11, 24, 18, 30)


def start_cluster() -> tuple[str, Path | None]:
    given = os.environ.get("TRACKER_BENCH_POSTGRES_URL")
    if given:
        return given, None
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-pg."))
    env = {**os.environ, "TRACKER_PG_FSYNC": "on"}
    url = subprocess.run(
        ["bash", str(ROOT / ".ci/postgres"), "start", str(folder)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    return url, folder


def stop_cluster(folder: Path | None) -> None:
    if folder is not None:
        subprocess.run(["bash", str(ROOT / ".ci/postgres"), "stop", str(folder)], check=False)


def diary_value(kind: int, d: int, rng: random.Random) -> float:
    """Pain-free metres `d` days before the end: steady, slowly declining, or a recent drop;
    log-normal day-to-day noise with some carry-over, as real diaries have."""
    base = 150 + 200 * rng.random()
    if kind == 1:
        base *= math.exp(-0.0007 * (730 - d))
    elif kind == 2 and d < 12:
        base *= 0.6
    return max(10.0, base * math.exp(rng.gauss(0, 0.15)))


def load(admin_url: str, patients: dict[int, str], days: int) -> int:
    import psycopg

    end = NOW.date() - timedelta(days=1)
    buf = io.StringIO()
    count = 0
    for pid in patients:
        rng = random.Random(pid)
        kind = pid % 3
        for d in range(days):
            if rng.random() < 0.1:  # a day without a walk
                continue
            at = datetime.combine(end - timedelta(days=d), datetime.min.time()) + timedelta(
                hours=9, minutes=rng.randrange(0, 600)
            )
            pf = diary_value(kind, d, rng)
            stamp = at.isoformat(sep=" ")
            buf.write(
                f"{pid}\t{stamp}\t{pf:.1f}\t{pf * 1.6:.1f}\tf\twalk\t\ttyped\t{stamp}\t{stamp}\n"
            )
            count += 1
    buf.seek(0)
    with psycopg.connect(admin_url) as conn:
        with conn.cursor() as cur:
            with cur.copy(
                "COPY walk (owner_id, walked_at, pain_free_m, max_m, no_pain, method, notes,"
                " source, created_at, updated_at) FROM STDIN"
            ) as copy:
                copy.write(buf.read())
            for pid in list(patients)[::20]:  # a red flag for one patient in twenty
                cur.execute(
                    "INSERT INTO symptom (owner_id, key, reported_on, notes, created_at)"
                    " VALUES (%s, 'leg_cold_pale', %s, '', now())",
                    (pid, NOW.date() - timedelta(days=2)),
                )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return count


def logger(url: str, seconds: float, queue: Any) -> None:
    from tracker.db.opening import open_store
    from tracker.domain.walks import WalkInput

    saved, errors, worst = 0, [], 0.0
    store = open_store(url)
    stop = time.monotonic() + seconds
    i = 0
    while time.monotonic() < stop:
        i += 1
        walk = WalkInput(
            walked_at=NOW + timedelta(minutes=i),
            pain_free_m=100.0 + i % 200,
            max_m=400.0,
            total_m=None,
            no_pain=False,
            location=None,
            side=None,
            pain=None,
            rest_min=None,
            method="walk",
            notes=f"bench {i}",
            source="typed",
        )
        t = time.perf_counter()
        try:
            store.add_walk(walk)
            saved += 1
        except Exception as exc:  # counted and reported: the benchmark's point
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        worst = max(worst, time.perf_counter() - t)
    store.close()
    queue.put((url, saved, errors, worst))


def time_cohort(therapist: str, runs: int, before: Any = None) -> tuple[str, list[Any]]:
    """The cohort's data as the therapist opens it (login, register, lines), `runs` times:
    median and best wall time, and this process's CPU."""
    from tracker.db.clinic import cohort, open_therapist_view

    times, cpu = [], []
    lines: list[Any] = []
    for _ in range(runs):
        if before is not None:
            before()
        t0, c0 = time.perf_counter(), time.process_time()
        view = open_therapist_view(therapist)
        try:
            lines = cohort(view, NOW)
        finally:
            view.close()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    shown = (
        f"median {statistics.median(times):.2f} s, best {min(times):.2f} s over {runs} runs, "
        f"of which this process's CPU {statistics.median(cpu):.2f} s"
    )
    return shown, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--loggers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()

    from sqlalchemy.engine import make_url
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.db.clinic import cohort, open_therapist_view

    admin, folder = start_cluster()
    try:
        import psycopg

        name = f"bench_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {name}_owner LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
            conn.execute(f"CREATE DATABASE {name} OWNER {name}_owner")
            settings = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers',"
                    " 'work_mem', 'fsync', 'synchronous_commit', 'max_connections',"
                    " 'server_version')"
                ).fetchall()
            )
        base = make_url(admin).set(database=name)
        owner = base.set(username=f"{name}_owner", password=PASSWORD).render_as_string(False)
        db_admin = base.render_as_string(False)

        def url(role: str) -> str:
            return base.set(username=role, password=PASSWORD).render_as_string(False)

        pw = Path(tempfile.mkdtemp()) / "pw"
        pw.write_text(PASSWORD + "\n")
        run = CliRunner().invoke
        t0 = time.perf_counter()
        assert run(app, ["clinic", "init", "--db", owner]).exit_code == 0
        for i in range(args.patients):
            result = run(
                app,
                ["clinic", "add-patient", f"p{i:03d}_{name}", "--programme", "legs",
                 "--password-file", str(pw), "--db", owner],
            )  # fmt: skip
            assert result.exit_code == 0, result.output
        thea = f"thea_{name}"
        result = run(
            app,
            ["clinic", "add-therapist", thea, "--programme", "legs",
             "--password-file", str(pw), "--db", owner],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        with psycopg.connect(db_admin) as conn:
            patients = dict(conn.execute("SELECT id, role_name FROM patient ORDER BY id"))
        setup_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        walks = load(db_admin, patients, args.days)
        load_s = time.perf_counter() - t0
        shown = ", ".join(f"{k}={v}" for k, v in sorted(settings.items()) if k != "server_version")
        print(f"server: PostgreSQL {settings.get('server_version')}, {shown}")
        print(
            f"clinic: {args.patients} patients, {walks} walks over {args.days} days (roles and "
            f"rows set up in {setup_s:.1f} s, walks loaded in {load_s:.1f} s)"
        )

        def forget() -> None:
            """The first view of the day: no line kept (the therapist's own rows)."""
            with psycopg.connect(url(thea).replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute("DELETE FROM cohort_line")

        cold, cold_lines = time_cohort(url(thea), 5, forget)
        urgent = sum(1 for line in cold_lines if line.urgency < 4)
        print(
            f"cohort view data, cold (first view of the day, every line computed and kept): "
            f"{cold} ({len(cold_lines)} patients, {urgent} ranked urgent; target < 1 s)"
        )
        warm, warm_lines = time_cohort(url(thea), 5)
        same = "identical" if warm_lines == cold_lines else "DIFFERENT"
        print(f"cohort view data, warm (nobody logged since): {warm}; lines {same} to cold")
        if os.environ.get("TRACKER_BENCH_PROFILE"):
            import cProfile
            import pstats

            forget()  # the cold path: the one that computes
            view = open_therapist_view(url(thea))
            profile = cProfile.Profile()
            profile.runcall(cohort, view, NOW)
            view.close()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)

        chosen = list(patients.values())[: args.loggers]
        before = {}
        with psycopg.connect(db_admin) as conn:
            for pid, role in patients.items():
                if role in chosen:
                    before[role] = conn.execute(
                        "SELECT count(*) FROM walk WHERE owner_id = %s", (pid,)
                    ).fetchone()[0]  # type: ignore[index]
        queue: Any = multiprocessing.get_context("spawn").Queue()
        procs = [
            multiprocessing.get_context("spawn").Process(
                target=logger, args=(url(role), args.seconds, queue)
            )
            for role in chosen
        ]
        for p in procs:
            p.start()
        results = [queue.get(timeout=args.seconds + 120) for _ in procs]
        for p in procs:
            p.join()
        lost = 0
        errors = 0
        saved_total = 0
        worst = 0.0
        with psycopg.connect(db_admin) as conn:
            for u, saved, errs, slowest in results:
                role = make_url(u).username
                pid = next(k for k, v in patients.items() if v == role)
                now_rows = conn.execute(
                    "SELECT count(*) FROM walk WHERE owner_id = %s", (pid,)
                ).fetchone()[0]  # type: ignore[index]
                lost += saved - (now_rows - before[role])
                errors += len(errs)
                saved_total += saved
                worst = max(worst, slowest)
                for e in errs[:3]:
                    print(f"  error seen by {role}: {e}")
        print(
            f"{len(procs)} patients logging at once for {args.seconds:.0f} s: {saved_total} walks"
            f" saved ({saved_total / args.seconds:.0f}/s), {errors} errors seen, {lost} lost "
            f"(told saved but not on the server), slowest save {worst * 1000:.0f} ms"
        )
        if procs:
            after, _ = time_cohort(url(thea), 1)
            print(f"cohort view data after those {len(procs)} patients logged: {after}")
    finally:
        stop_cluster(folder)


if __name__ == "__main__":
    main()

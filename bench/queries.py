"""Query counts of the benchmarked pages at two scales: they must be equal.

Usage: ``bench/queries.py SMALL_DATABASE_URL LARGE_DATABASE_URL`` (both seeded with
``seed_demo --scale N``), or ``bench/queries.py count`` to print the counts of the
database in ``DATABASE_URL`` as JSON.

Each page of ``bench.py endpoints`` is opened twice in-process with Django's test client,
signed in as the same demo user as in the benchmark; the second answer is counted
(``CaptureQueriesContext``), so that short-lived caches are warm, as they are under
load. A page whose count differs between the scales runs a query per row somewhere:
the script prints it and exits 1. The milliseconds of the counted answer are printed
too, as a first hint of where a page spends its time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def count() -> None:
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(HERE))
    from bench import endpoint_list, setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model().objects
    clients: dict[str, Client] = {}
    result = {}
    for label, path, username in endpoint_list():
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(users.get(username=username))
        client = clients[username]
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        result[label] = {
            "path": path,
            "status": response.status_code,
            "queries": len(queries),
            "ms": round(elapsed, 1),
        }
    print(json.dumps(result, ensure_ascii=False))


def _counts(database_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "false"}
    env.setdefault("DJANGO_SECRET_KEY", "bench-queries")
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "count"], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(small_url: str, large_url: str) -> None:
    small, large = _counts(small_url), _counts(large_url)
    name = (small_url.rsplit("/", 1)[-1], large_url.rsplit("/", 1)[-1])
    width = max(len(label) for label in small)
    print(f"{'page'.ljust(width)}  {name[0]:>14}  {name[1]:>14}  ms {name[0]}  ms {name[1]}")
    bad = []
    for label, a in small.items():
        b = large.get(label)
        if b is None:
            bad.append(f"{label}: missing at the larger scale")
            continue
        flag = ""
        if a["status"] != 200 or b["status"] != 200:
            flag = f"  answered {a['status']}/{b['status']}"
            bad.append(f"{label}: answered {a['status']} and {b['status']}")
        elif a["queries"] != b["queries"]:
            flag = "  DIFFERS"
            bad.append(f"{label}: {a['queries']} queries, then {b['queries']}")
        print(
            f"{label.ljust(width)}  {a['queries']:>14}  {b['queries']:>14}  "
            f"{a['ms']:>{len(name[0]) + 3}.0f}  {b['ms']:>{len(name[1]) + 3}.0f}{flag}"
        )
    Path(os.environ.get("BENCH_RESULTS", ".")).joinpath("queries.json").write_text(
        json.dumps({name[0]: small, name[1]: large}, indent=2, ensure_ascii=False)
    )
    if bad:
        print("\nQuery counts differ or pages failed:\n  " + "\n  ".join(bad))
        raise SystemExit(1)
    print(f"\nEvery page runs as many queries at both scales ({len(small)} pages).")


if __name__ == "__main__":
    if sys.argv[1:] == ["count"]:
        count()
    elif len(sys.argv) == 3:
        compare(sys.argv[1], sys.argv[2])
    else:
        raise SystemExit(__doc__)

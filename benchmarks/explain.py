"""EXPLAIN ANALYZE every SELECT a page sends, on a seeded PostgreSQL database.

    PYTHONPATH=. .venv/bin/python benchmarks/explain.py --database-url URL [--page dashboard]

Runs each page once (as benchmarks/pages.py does), records the statements and their
parameters, then asks PostgreSQL for the plan of each SELECT and prints the slowest ones
with any sequential scan: how the indexes in perf_indexes were chosen.
"""

from __future__ import annotations

import argparse

from benchmarks import pages


class Recorder:
    def __init__(self) -> None:
        self.statements: list[tuple[str, object]] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and not executemany:
            self.statements.append((statement, parameters))


def explain_page(url: str, page: str, show: int) -> None:
    from rehab.extensions import db

    recorder = Recorder()
    original = pages.StatementCounter

    class Counter(original):
        def __call__(self, *args) -> None:
            super().__call__(*args)
            recorder(*args)

    pages.StatementCounter = Counter
    pages.WARM_UP = 1
    try:
        pages.rehab_page(url, page, 1)
    finally:
        pages.StatementCounter = original
    from rehab import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    timed = []
    with app.app_context():
        raw = db.engine.raw_connection()
        cursor = raw.cursor()
        for statement, parameters in recorder.statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            total = float(plan.rsplit("Execution Time:", 1)[1].split("ms")[0])
            timed.append((total, statement, plan))
        raw.rollback()
        raw.close()
    timed.sort(key=lambda item: item[0], reverse=True)
    print(f"=== {page}: {len(timed)} SELECTs, {sum(t for t, *_ in timed):.1f} ms in the database")
    for total, statement, plan in timed[:show]:
        seq = "  SEQ SCAN" if "Seq Scan" in plan else ""
        print(f"--- {total:.2f} ms{seq}\n{' '.join(statement.split())[:400]}\n{plan}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", choices=[p for p in pages.PAGES if p != "floor"])
    parser.add_argument("--show", type=int, default=3, help="slowest statements per page")
    args = parser.parse_args()
    from rehab.config import normalise_database_url

    url = normalise_database_url(args.database_url)
    if not url.startswith("postgresql"):
        raise SystemExit("EXPLAIN ANALYZE plans are read on PostgreSQL.")
    for page in [args.page] if args.page else [p for p in pages.PAGES if p != "floor"]:
        explain_page(url, page, args.show)


if __name__ == "__main__":
    main()

"""Victims at ten times Missouri's size (PostgreSQL only): the conflict check, a statement page, the
court report's victim section PDF, and what the read log adds to a page.

Builds, in a throw-away database, 1,000,000 victims (``--scale 1``) on 500,000 court cases of
500,000 people (two victims a case), each with an identity: names drawn from 400 first and 400
last names (so the trigram index holds realistic near-duplicates), ciphertext in the encrypted
columns and distinct keyed hashes. Then times:

- the conflict check (``core.conflicts.conflict_check`` through the registered checker) for
  random offenders with a name, address, phone and e-mail (misses), p50 and p95 (target: p95
  under 50 ms), and the same for people who are the offender's victim (hits, which write a match);
- a statement page as the supervising officer (median), and producing the victim section PDF;
- ``services.read_log`` for one read, the cost the log adds to a page (target: under 2 ms).

Prints one JSON line.

    DATABASE_URL=postgres://... python benchmarks/victims.py              # 1,000,000 victims
    DATABASE_URL=postgres://... python benchmarks/victims.py --scale 0.1  # a quicker run

(``benchmarks/victims.py`` runs this file from the repository's root: a script named ``victims``
would otherwise be imported in place of the app.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time

from _setup import django_setup, execute, log, scalar

django_setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

FULL_VICTIMS = 1_000_000
FIRST = [
    f"{a}{b}"
    for a in ("ro", "ma", "jo", "da", "el", "an", "ka", "li", "sa", "te")
    for b in (
        "salind",
        "rcus",
        "seph",
        "nielle",
        "ena",
        "drea",
        "thryn",
        "nda",
        "muel",
        "resa",
        "bert",
        "ria",
        "hn",
        "vid",
        "len",
        "na",
        "ren",
        "sa",
        "rah",
        "ddy",
        "nald",
        "rgo",
        "anna",
        "wn",
        "ise",
        "ton",
        "ren",
        "am",
        "die",
        "d",
    )
][:400]
LAST = [
    f"{a}{b}"
    for a in ("whit", "quint", "harr", "mill", "john", "brook", "hall", "kemp", "ward", "oye")
    for b in (
        "field",
        "ero",
        "ison",
        "er",
        "son",
        "s",
        "ington",
        "ley",
        "ell",
        "laran",
        "man",
        "ford",
        "wood",
        "berg",
        "stone",
        "ton",
        "well",
        "bury",
        "worth",
        "ridge",
        "dale",
        "ham",
        "by",
        "more",
        "land",
        "croft",
        "hurst",
        "shaw",
        "wick",
        "fen",
    )
][:400]


def build(victims: int) -> dict:
    from victims.crypto import encrypt

    people = victims // 2
    cipher = encrypt("redacted for the benchmark")  # a real ciphertext; the check never reads it
    execute(
        """INSERT INTO core_offender (doc_id, last_name, first_name, date_of_birth, status)
        SELECT (1000000 + g)::text, 'Last' || g, 'First' || g, DATE '1980-01-01' + (g %% 9000), 'discharged'
        FROM generate_series(1, %s) g""",
        [people],
    )
    execute(
        """INSERT INTO core_courtcase (court, case_number, county, offense, offense_class, sentencing_date, offender_id)
        SELECT 'Bench Circuit', 'B' || o.id, 'Cole', '', 'felony_d', DATE '2025-01-01', o.id FROM core_offender o"""
    )
    execute(
        """INSERT INTO victims_victim (reference, kind, relationship, deceased, minor, do_not_contact, redact_all,
            statutory_category, notify_by_email, notify_by_mail, notify_by_phone, created_at)
        SELECT 'V-B' || lpad(g::text, 8, '0'), 'person', '', false, false, false, false, '', false, false, false,
            now()
        FROM generate_series(1, %s) g""",
        [victims],
    )
    execute(
        """INSERT INTO victims_victim_cases (victim_id, courtcase_id)
        SELECT v.id, c.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM victims_victim) v
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM core_courtcase) c ON c.n = (v.n + 1) / 2"""
    )
    execute(
        """INSERT INTO victims_victimidentity (victim_id, name, name_normalized, safe_at_home, designated_address,
            safe_at_home_card_verified, address, mailing_address, phone, alternate_phone, email, date_of_birth,
            employer, designated_address_hash, address_hash, mailing_address_hash, phone_hash, alternate_phone_hash,
            email_hash)
        SELECT v.id, f.w || ' ' || l.w, least(f.w, l.w) || ' ' || greatest(f.w, l.w), false, '', false,
            %s, '', %s, '', %s, '', '', '', encode(sha256(('a' || v.id)::bytea), 'hex'), '',
            encode(sha256(('p' || v.id)::bytea), 'hex'), '', encode(sha256(('e' || v.id)::bytea), 'hex')
        FROM victims_victim v
        JOIN unnest(%s::text[]) WITH ORDINALITY f(w, i) ON f.i = 1 + (v.id * 7919) %% %s
        JOIN unnest(%s::text[]) WITH ORDINALITY l(w, i) ON l.i = 1 + (v.id * 104729) %% %s""",
        [cipher, cipher, cipher, FIRST, len(FIRST), LAST, len(LAST)],
    )
    execute("ANALYZE")
    return {"victims": scalar("SELECT count(*) FROM victims_victim"), "people": people}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is 1,000,000 victims")
    parser.add_argument("--checks", type=int, default=300)
    args, _ = parser.parse_known_args(argv)
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_victims_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.test import Client

        from core.conflicts import PersonDetails, conflict_check
        from core.models import CourtCase, Offender, User
        from tests.factories.victims import make_statement, make_victim
        from victims.services import court_section_produce, read_log

        started = time.perf_counter()
        counts = build(int(FULL_VICTIMS * args.scale))
        build_s = time.perf_counter() - started
        log(f"built {counts} in {build_s:.0f} s")
        rng = random.Random(13)
        max_id = scalar("SELECT max(id) FROM core_offender")
        min_id = scalar("SELECT min(id) FROM core_offender")
        offenders = list(Offender.objects.filter(pk__in=[rng.randint(min_id, max_id) for _ in range(args.checks)]))

        def timed(person_for):
            times = []
            for offender in offenders:
                person = person_for(offender)
                t = time.perf_counter()
                conflict_check(offender=offender, person=person)
                times.append((time.perf_counter() - t) * 1000)
            return times

        misses = timed(
            lambda o: PersonDetails.of(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                address=f"{rng.randint(1, 9999)} Main St",
                phone=f"573555{rng.randint(1000, 9999)}",
                email=f"x{rng.randint(1, 10**6)}@example.org",
            )
        )
        victim_names = {}
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT c.offender_id, i.name FROM victims_victimidentity i
                JOIN victims_victim_cases vc ON vc.victim_id = i.victim_id
                JOIN core_courtcase c ON c.id = vc.courtcase_id
                WHERE c.offender_id = ANY(%s)""",
                [[o.pk for o in offenders]],
            )
            for offender_id, name in cursor.fetchall():
                victim_names.setdefault(offender_id, name)
        hits = timed(lambda o: PersonDetails.of(name=victim_names[o.pk]))

        # A statement page and the court section, on a realistic case of the built book.
        clerk = User.objects.create_user("bench.victims", role="victim_services")
        case = CourtCase.objects.filter(offender=offenders[0]).first()
        victim = make_victim(cases=[case], user=clerk)
        statement = make_statement(
            victim, user=clerk, losses=[("medical", "1250.40", "Bill"), ("property", "300.00", "Receipt")]
        )
        client = Client()
        client.force_login(clerk)
        url = statement.get_absolute_url()
        client.get(url)
        page_times = []
        for _ in range(20):
            t = time.perf_counter()
            assert client.get(url).status_code == 200
            page_times.append((time.perf_counter() - t) * 1000)
        pdf_times = []
        for _ in range(5):
            t = time.perf_counter()
            court_section_produce(user=clerk, case=case)
            pdf_times.append((time.perf_counter() - t) * 1000)
        log_times = []
        for _ in range(200):
            t = time.perf_counter()
            read_log(user=clerk, victims=[victim], what="statement", path=url)
            log_times.append((time.perf_counter() - t) * 1000)
        figures = {
            "benchmark": "victims",
            "postgres": scalar("SHOW server_version"),
            "scale": args.scale,
            **counts,
            "build_s": round(build_s, 1),
            "conflict_check_miss_ms": {
                "p50": round(statistics.median(misses), 2),
                "p95": round(percentile(misses, 95), 2),
            },
            "conflict_check_hit_ms": {"p50": round(statistics.median(hits), 2), "p95": round(percentile(hits, 95), 2)},
            "checks": len(misses),
            "statement_page_ms_median": round(statistics.median(page_times), 1),
            "court_section_pdf_ms_median": round(statistics.median(pdf_times), 1),
            "read_log_ms_median": round(statistics.median(log_times), 3),
            "read_log_ms_p95": round(percentile(log_times, 95), 3),
            "targets_met": {
                "conflict_check_p95_under_50ms": percentile(misses + hits, 95) < 50,
                "read_log_under_2ms": percentile(log_times, 95) < 2,
            },
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(figures))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

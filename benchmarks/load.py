"""Load: 50 signed-in users on gunicorn with 2 workers, loopback only, for a fixed time (issue 10).

Builds the 10x book in a throw-away database (``lists.build``: the demo with ``--people`` offenders,
then ten times over), starts ``gunicorn rjadmin.wsgi`` with 2 workers on 127.0.0.1 against it, and
runs ``--users`` virtual users for ``--seconds``. Each user keeps one keep-alive connection and
its own session (an administrator, or the district 9 officer for the caseload) and loops over the
page mix: the dashboard, an officer's caseload, an offender's page, the harvest list and an API
list, reading each page ``--think`` seconds on average (0.5x to 1.5x; a bounded, closed loop: at
most ``--users`` requests in flight). Then, for a third of the time each, the same users with no
pause (the server's ceiling on the mix: with none, latency is users / throughput) and on
``/healthz`` (the ceiling of the server itself).

The generator is the standard library (``http.client`` in threads): it needs nothing installed, and a
thread waiting on a socket does not hold the GIL. Prints one JSON line:

  {"benchmark": "load", "users": 50, "seconds": ..., "requests": n, "errors": n, "rps": ...,
   "p50_ms": ..., "p95_ms": ..., "per_page": {...}, "healthz_rps": ..., "healthz_p95_ms": ...,
   "targets_met": {"no_errors": ..., "p95_under_500_ms": ...}}
"""

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from _setup import ROOT, django_setup, log, throwaway_database

django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie(username: str) -> str:
    from core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def wait_for(port: int, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def run_users(
    port: int, mixes: list[tuple[str, list[str]]], seconds: float, think: float = 0.0
) -> list[tuple[str, float, int]]:
    """Each (cookie, urls) is one user looping over its urls until the time is up, pausing a random
    0.5x to 1.5x ``think`` seconds after each page (a person reading it)."""
    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(cookie: str, urls: list[str]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, i = [], 0
        while time.monotonic() < stop:
            url = urls[i % len(urls)]
            i += 1
            start = time.perf_counter()
            try:
                headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((url, (time.perf_counter() - start) * 1000, status))
            if think:
                time.sleep(think * random.uniform(0.5, 1.5))
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=user, args=mix) for mix in mixes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def summary(results, seconds) -> dict:
    times = [ms for _, ms, _ in results]
    return {
        "requests": len(results),
        "errors": sum(1 for _, _, status in results if status != 200),
        "rps": round(len(results) / seconds, 1),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user reads a page before the next (0: none)"
    )
    args = parser.parse_args()

    import lists

    settings.ALLOWED_HOSTS.append("testserver")
    server = None
    static_root = tempfile.mkdtemp(prefix="rj-load-static-")
    with throwaway_database():
        try:
            log(f"building {args.scale}x ({args.people} people at 1x)")
            lists.build(args.people, 1)
            if args.scale > 1:
                lists.build(args.people, args.scale)
            from core.models import Offender

            offender = (
                Offender.objects.order_by("last_name", "first_name", "doc_id").values_list("pk", flat=True).first()
            )
            admin, officer = session_cookie("admin"), session_cookie("officer.d9")
            connection.close()
            port = free_port()
            env = dict(os.environ)
            db = settings.DATABASES["default"]
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
            )
            env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
            # Production settings (DEBUG off: no query log, compressed static files), with this process's
            # keys so the sessions made above are valid, and plain HTTP on loopback. The second sign-in
            # factor and the password check are sign-in steps, not page work: the sessions skip them.
            env.update(
                DEBUG="false",
                SECURE_SSL_REDIRECT="false",
                TWO_FACTOR_REQUIRED="false",
                PASSWORD_CHECK_AT_SIGN_IN="false",
                SECRET_KEY=settings.SECRET_KEY,
                VICTIMS_ENCRYPTION_KEYS=",".join(settings.VICTIMS_ENCRYPTION_KEYS),
                VICTIMS_HASH_KEY=settings.VICTIMS_HASH_KEY,
                STATIC_ROOT=static_root,
            )
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
            )
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "rjadmin.wsgi",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
            wait_for(port)
            admin_mix = ["/", f"/offenders/{offender}/", "/gardens/harvests/", "/api/v1/harvests/"]
            officer_mix = ["/", "/restitution/", "/api/v1/offenders/"]
            mixes = [(officer, officer_mix) if n % 3 == 2 else (admin, admin_mix) for n in range(args.users)]
            run_users(port, mixes[:4], 3)  # warm both workers
            log(f"{args.users} users for {args.seconds:.0f} s")
            results = run_users(port, mixes, args.seconds, args.think)
            figures = {"benchmark": "load", "scale": args.scale, "users": args.users, "seconds": args.seconds}
            figures["think_s"] = args.think
            figures.update(summary(results, args.seconds))
            figures["per_page"] = {
                url: summary([r for r in results if r[0] == url], args.seconds)
                for url in dict.fromkeys(u for _, urls in mixes for u in urls)
            }
            # The ceiling: the same users with no pause at all, on the page mix and on /healthz.
            saturated = summary(run_users(port, mixes, args.seconds / 3), args.seconds / 3)
            figures.update(saturated_rps=saturated["rps"], saturated_p95_ms=saturated["p95_ms"])
            health = run_users(port, [("", ["/healthz"])] * args.users, args.seconds / 3)
            health_figures = summary(health, args.seconds / 3)
            figures.update(healthz_rps=health_figures["rps"], healthz_p95_ms=health_figures["p95_ms"])
            figures["targets_met"] = {"no_errors": figures["errors"] == 0, "p95_under_500_ms": figures["p95_ms"] < 500}
            print(json.dumps(figures), flush=True)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Time the public dog pages under 50 concurrent anonymous clients on gunicorn with 2 workers, and the
application's rate limit under the same load.

Builds (in a throw-away database: the test database of the configured engine) the core demo data, a partner
shelter and ``--dogs`` public dogs (released, a bio, an approved photo), then:

1. counts the queries of ``/public/dogs/`` and a dog's page in-process, on a cache miss and on a hit, with
   10 and with all the dogs (the hit must be one query, whatever the number of dogs);
2. starts gunicorn (2 sync workers, DEBUG off, static files collected) on that database and runs 50
   concurrent clients (asyncio, a new connection per request, as gunicorn's sync workers close each),
   alternating the list and dog pages, for ``--requests`` requests in all: p50, p95, p99, requests per second;
3. has 50 clients post 50 different applications at once from one address: only the limit is stored, the
   rest answered 429; then 50 clients post the same household at once (the limit lifted): stored once.

Prints one JSON line. ``--dogs 40 --requests 2000`` for a quick run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from _setup import ROOT, django_setup, log, scalar

django_setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CLIENTS = 50


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 320), "saddlebrown").save(out, "JPEG", quality=85)
    return out.getvalue()


def build(dogs: int) -> dict:
    import datetime as dt

    from django.utils import timezone

    from core.models import Facility, Organization, OrganizationKind, User
    from core.services import demo_seed
    from puppies import services
    from puppies.choices import DogStatus, VaccineKind
    from puppies.models import Dog, Shelter, Vaccination
    from reports.services import photo_review, photo_upload

    demo_seed(offenders=400)
    admin = User.objects.get(username="admin")
    staff = User.objects.get(username="staff.jccc")
    jccc = Facility.objects.get(code="JCCC")
    org = Organization.objects.create(name="Bench Humane Society", county="Cole", town="Jefferson City")
    org.kinds.set(OrganizationKind.objects.filter(code="animal_shelter"))
    shelter = Shelter.objects.create(organization=org)
    shelter.facilities.set([jccc])
    today = timezone.localdate()
    image = _jpeg()
    ids = []
    for i in range(dogs):
        dog = services.dog_intake(
            user=staff,
            dog=Dog(
                shelter=shelter,
                shelter_ref=f"B-{i:05d}",
                name=f"Bench{i}",
                breed="Labrador mix",
                sex="female" if i % 2 else "male",
                birth_estimate=today - dt.timedelta(days=600 + i),
                colour="Black",
                intake_on=today - dt.timedelta(days=90),
                bio="A friendly dog in training, good with people and other dogs.",
                released_for_adoption=True,
            ),
        )
        Vaccination.objects.create(
            dog=dog,
            kind=VaccineKind.RABIES,
            given_on=today - dt.timedelta(days=89),
            expires_on=today + dt.timedelta(days=300),
        )
        services.dog_move(
            dog=dog, status=DogStatus.IN_TRAINING, on=today - dt.timedelta(days=80), user=staff, facility=jccc
        )
        photo = photo_upload(user=staff, target=dog, data=image, alt_text="A black dog on grass")
        photo_review(photo=photo, user=admin, approve=True, consent_confirmed=True, caption="", alt_text=photo.alt_text)
        ids.append(dog.pk)
    return {"dogs": dogs, "dog_ids": ids}


def count_queries(ids) -> dict:
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from puppies.models import Dog

    client = Client()
    out = {}
    connection.queries_log.clear()  # the build filled the log (9,000 at most): a full log counts nothing new
    for label, url in (("list", "/public/dogs/"), ("dog", f"/public/dogs/{ids[0]}/")):
        cache.clear()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as miss:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as hit:
            assert client.get(url).status_code == 200
        out[f"{label}_queries_miss"] = len(miss)
        out[f"{label}_queries_hit"] = len(hit)
    # The miss with 10 dogs public, for the "constant" claim.
    hidden = Dog.objects.filter(pk__in=ids[10:])
    hidden.update(released_for_adoption=False)
    cache.clear()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ten:
        client.get("/public/dogs/")
    hidden.update(released_for_adoption=True)
    cache.clear()
    out["list_queries_miss_10_dogs"] = len(ten)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, media: str) -> subprocess.Popen:
    db = connection.settings_dict
    url = (
        f"postgres://{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'] or '')}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    import secrets

    from cryptography.fernet import Fernet

    # As in production: DEBUG off, static files collected and compressed (whitenoise's manifest), plain HTTP
    # on the loopback (no TLS redirect), mail to nowhere, Celery tasks run in the request.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": media,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "VICTIMS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "VICTIMS_HASH_KEY": secrets.token_urlsafe(40),
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-puppies-static-"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_URL": "dummymail://",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "rjadmin.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def load(port: int, ids: list[int], total: int) -> dict:
    """50 clients at once (asyncio, one coroutine each: light on the CPU the server shares), each sending its
    share of GETs one after the other, alternating the list and a dog's page."""
    import asyncio

    per_client = total // CLIENTS
    latencies: list[float] = []
    statuses: list[int] = []

    async def get(path: str) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        return int(data[9:12])

    async def client(n: int, start: asyncio.Event):
        await start.wait()
        for i in range(per_client):
            path = "/public/dogs/" if i % 2 == 0 else f"/public/dogs/{ids[(n + i) % len(ids)]}/"
            began = time.perf_counter()
            statuses.append(await get(path))
            latencies.append((time.perf_counter() - began) * 1000)

    async def run() -> float:
        for path in ("/public/dogs/", *[f"/public/dogs/{i}/" for i in ids]) * 4:  # warm both workers' caches
            await get(path)
        start = asyncio.Event()
        tasks = [asyncio.create_task(client(n, start)) for n in range(CLIENTS)]
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - began

    elapsed = asyncio.run(run())
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "errors": sum(1 for s in statuses if s != 200),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.mean(latencies), 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
    }


def _post(port: int, dog_id: int, household: int):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/public/dogs/{dog_id}/apply/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": f"Bench Applicant {household}",
            "email": f"bench{household}@example.org",
            "phone": "573-555-0100",
            "address": f"{household} Bench Street",
            "town": "Columbia",
            "zip_code": "65201",
            "adults": "2",
            "children": "0",
            "home_type": "house",
            "tenure": "own",
            "website": "",
        }
    )
    return body, csrf_cookie, conn


def rush(port: int, dog_id: int, households: list[int]) -> dict:
    """Every client gets its form first, then all post at once."""
    prepared = [_post(port, dog_id, h) for h in households]
    barrier = threading.Barrier(len(prepared))
    statuses = []
    lock = threading.Lock()

    def send(body, cookie, conn):
        barrier.wait()
        conn.request(
            "POST",
            f"/public/dogs/{dog_id}/apply/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        with lock:
            statuses.append(response.status)

    threads = [threading.Thread(target=send, args=p) for p in prepared]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {str(s): statuses.count(s) for s in sorted(set(statuses))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dogs", type=int, default=200, help="public dogs (the list pages 24 a page)")
    parser.add_argument("--requests", type=int, default=10_000, help="GETs in all, shared by the 50 clients")
    args, _ = parser.parse_known_args(argv)
    setup_test_environment()
    media = tempfile.mkdtemp(prefix="bench-puppies-media-")
    settings.MEDIA_ROOT = media
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"bench_puppies_{connection.settings_dict['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    gunicorn = None
    try:
        started = time.perf_counter()
        built = build(args.dogs)
        ids = built.pop("dog_ids")
        log(f"built {built} in {time.perf_counter() - started:.0f} s")
        queries = count_queries(ids)
        log(f"queries {queries}")
        connection.close()
        port = free_port()
        gunicorn = start_gunicorn(port, media)
        pages = load(port, ids, args.requests)
        log(f"pages {pages}")
        from puppies import services
        from puppies.models import AdoptionApplication, ApplyThrottle

        limited = rush(port, ids[0], list(range(1000, 1000 + CLIENTS)))
        stored_first = AdoptionApplication.objects.count()
        ApplyThrottle.objects.all().delete()
        settings_limit = services.APPLY_LIMIT
        same = rush(port, ids[1], [7] * CLIENTS)  # one household, 50 times at once (the limit counts too)
        stored_same = AdoptionApplication.objects.filter(dog_id=ids[1]).count()
        figures = {
            "benchmark": "puppies",
            "postgres": scalar("SHOW server_version"),
            "gunicorn_workers": 2,
            "clients": CLIENTS,
            **built,
            **queries,
            **{f"pages_{k}": v for k, v in pages.items()},
            "apply_rush_distinct_households": limited,
            "apply_rush_stored": stored_first,
            "apply_limit_per_address": settings_limit,
            "apply_rush_same_household": same,
            "apply_same_household_stored": stored_same,
            "targets_met": {
                "p95_under_100ms": pages["p95_ms"] < 100,
                "hit_is_one_query": queries["list_queries_hit"] == 1 and queries["dog_queries_hit"] == 1,
                "miss_constant": queries["list_queries_miss"] == queries["list_queries_miss_10_dogs"],
                "rate_limit_held": stored_first == settings_limit and limited.get("429", 0) == CLIENTS - settings_limit,
                "same_household_stored_once": stored_same == 1,
            },
        }
        print(json.dumps(figures), flush=True)
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the busiest core pages with a realistic book, and their query counts.

Builds (in a throw-away database: the test database of the configured engine) 20,000 offenders
with cases, then renders the offender list, a filtered list, an offender's page and the CSV
export as an administrator and as an officer. Prints one JSON line:
{"benchmark": "pages", "engine": ..., "offenders": N, "<page>_ms": median, "<page>_queries": n, ...}
"""

import json
import statistics
import time

from _setup import django_setup

django_setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main(count=20_000, repeats=7):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from core.models import User
        from core.services import demo_seed

        demo_seed(offenders=count)
        admin = User.objects.get(username="admin")
        officer = User.objects.get(username="officer.d9")
        figures = {"benchmark": "pages", "offenders": count}
        pages = {
            "offender_list_admin": (admin, "/offenders/"),
            "offender_list_filtered_admin": (admin, "/offenders/?status=supervised&q=smith"),
            "offender_list_officer": (officer, "/offenders/"),
            "offender_csv_officer": (officer, "/offenders/?_export=csv"),
            "dashboard_admin": (admin, "/"),
            "offender_detail_admin": (admin, "/offenders/1/"),
        }
        for name, (user, url) in pages.items():
            client = Client()
            client.force_login(user)
            client.get(url)  # warm
            times = []
            for _ in range(repeats):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            figures[f"{name}_ms"] = round(statistics.median(times), 1)
            figures[f"{name}_queries"] = len(queries)
        print(json.dumps(figures))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""The zero-configuration database server: started when not running, reused, stopped cleanly.

Runs in CI too (where DATABASE_URL names the system PostgreSQL), so a fresh clone's `make run`
and `make test` path is exercised on every submission, not only on a developer's machine.
"""

import psycopg

from rjadmin import embedded_pg


def test_embedded_server_starts_is_reused_and_stops(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded_pg, "started_here", False)
    settings = embedded_pg.database_settings(tmp_path)
    try:
        assert embedded_pg.started_here, "this call started it"
        assert settings["ENGINE"] == "django.db.backends.postgresql"
        assert settings["NAME"] == embedded_pg.DATABASE
        with psycopg.connect(host=settings["HOST"], user=settings["USER"], dbname=settings["NAME"]) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
            sync = conn.execute("SHOW synchronous_commit").fetchone()[0]
        assert int(version) >= 180000
        assert sync == "off"
        pid = embedded_pg._postmaster(embedded_pg.pgdata_path(tmp_path))[0]

        # A second command finds the running server instead of starting another.
        monkeypatch.setattr(embedded_pg, "started_here", False)
        again = embedded_pg.database_settings(tmp_path)
        assert again["HOST"] == settings["HOST"]
        assert not embedded_pg.started_here
        assert embedded_pg._postmaster(embedded_pg.pgdata_path(tmp_path))[0] == pid
    finally:
        stopped = embedded_pg.stop(tmp_path)
    assert stopped
    assert embedded_pg._postmaster(embedded_pg.pgdata_path(tmp_path)) is None
    assert not embedded_pg.stop(tmp_path), "stopping a stopped server is a no-op"

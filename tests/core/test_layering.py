"""The import-linter contracts (make lint) must know every app: a new app left out is unchecked."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

PYPROJECT = Path(settings.BASE_DIR) / "pyproject.toml"


def _ours() -> set[str]:
    return {a.name for a in apps.get_app_configs() if Path(a.path).parent == Path(settings.BASE_DIR)}


def test_every_app_of_ours_is_in_the_layering_contracts():
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    roots = set(config["root_packages"])
    contracts = {c["name"]: c for c in config["contracts"]}
    ours = _ours()
    assert {"core", "reports", "gardens"} <= ours
    assert ours <= roots, f"add to root_packages: {sorted(ours - roots)}"
    program_apps = ours - {"core", "reports"}
    assert set(contracts["core imports no app"]["forbidden_modules"]) == (ours - {"core"}) | {"rjadmin"}
    assert set(contracts["reports imports no program app"]["forbidden_modules"]) == program_apps
    between = contracts["program apps reach each other only through selectors and services"]
    assert set(between["source_modules"]) == program_apps
    assert set(between["forbidden_modules"]) == {f"{app}.*" for app in program_apps}
    for app in program_apps:
        for allowed in ("selectors", "services"):
            assert f"** -> {app}.{allowed}" in between["ignore_imports"], (app, allowed)

"""The dashboard is its registered panels: core's own (core/dashboards.py) and the apps'."""

import pytest
from django.urls import reverse

from core.registry import PanelEntry, registry


@pytest.mark.parametrize(
    "who, shows, hides",
    [
        ("admin", ["Incarcerated", "Background jobs", "Alerts"], ["My facilities", "Caseloads in"]),
        ("auditor", ["Incarcerated", "Alerts"], ["My caseload"]),
        ("staff_jccc", ["My facilities", "Jefferson City Correctional Center", "Alerts"], ["Incarcerated"]),
        ("officer", ["My caseload", "Supervision ends within 60 days"], ["Caseloads in", "Background jobs"]),
        ("supervisor", ["Supervised in my district", "Caseloads in"], ["My caseload"]),
        ("victims", ["Offenders statewide", "Alerts"], ["Background jobs", "My caseload"]),
        ("boards", ["Supervised in my district"], ["Caseloads in"]),
    ],
)
def test_each_role_sees_its_panels(world, client_for, who, shows, hides):
    html = client_for(getattr(world, who)).get(reverse("core:dashboard")).content.decode()
    for text in shows:
        assert text in html, (who, text)
    for text in hides:
        assert text not in html, (who, text)


def test_an_app_panel_appears_for_its_roles_in_order(world, client_for):
    def render(request):
        return "<section><h2>Test panel for victim services</h2></section>"

    entry = registry.panel(PanelEntry("test-victims", frozenset({"victim_services"}), render, order=50))
    try:
        victims = client_for(world.victims).get(reverse("core:dashboard")).content.decode()
        officer = client_for(world.officer).get(reverse("core:dashboard")).content.decode()
    finally:
        registry.panels.pop(entry.slug)
    assert victims.index("Offenders statewide") < victims.index("Test panel") < victims.index('id="alerts-heading"')
    assert "Test panel" not in officer

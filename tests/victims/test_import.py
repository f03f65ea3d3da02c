"""The ``victims`` CSV import: victim services only, kept encrypted between preview and commit, errors
by column with nothing written, and the same file twice adds each victim once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.imports import import_run
from core.models import ImportBatch
from victims.importers import VictimImporter
from victims.models import Victim, VictimIdentity

pytestmark = pytest.mark.django_db

HEADER = ",".join(VictimImporter.columns) + "\n"
GOOD = (
    "26AC-CR00001,person,Annelise Vantongeren,12 Quarry Ln Fulton MO 65251,,573-555-0161,a.vt@example.net,"
    "1980-04-02,,no,2026-01-05,email;mail,,\n"
    "26ac-cr00001,person,Bartholomew Oyelaran,,,573-555-0162,,,domestic_assault,no,,phone,"
    '"PO Box 3300, Jefferson City, MO 65102",2029-01-31\n'
)


def test_victim_services_imports_and_the_same_file_twice_adds_nothing(world):
    result = import_run(kind="victims", content=HEADER + GOOD, user=world.victims, commit=True)
    assert result.committed and result.counts() == {"create": 2}
    first = VictimIdentity.objects.get(name="Annelise Vantongeren")
    assert first.phone == "573-555-0161" and first.victim.notify_by_email and first.victim.notify_by_mail
    assert first.victim.cases.get() == world.case and first.victim.created_by == world.victims
    safe = VictimIdentity.objects.get(name="Bartholomew Oyelaran")
    assert safe.safe_at_home and safe.address == "" and "PO Box 3300" in safe.designated_address
    assert safe.victim.statutory_category == "domestic_assault" and safe.victim.notify_by_phone
    again = import_run(kind="victims", content=HEADER + GOOD, user=world.victims, commit=True)
    assert again.counts() == {"ignore": 2} and Victim.objects.count() == 2


def test_errors_by_column_and_nothing_written(world):
    rows = (
        "26AC-CR09999,person,Nobody Known,,,,,,,no,,,,\n"
        "26AC-CR00001,alien,Cass Q,,,,,31/12/1980,stalkingish,maybe,,fax,,\n"
        "26AC-CR00001,person,Dee R,1 Main St,,,not-an-email,,,yes,,email,,\n"
        "26AC-CR00001,person,Eve S,9 Elm St,,,,,,no,,,PO Box 1,\n"
    )
    result = import_run(kind="victims", content=HEADER + GOOD + rows, user=world.victims, commit=True)
    assert not result.committed and Victim.objects.count() == 0
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {} and errors[3] == {}
    assert "No case has the number" in errors[4]["case_number"][0]
    assert set(errors[5]) == {"kind", "date_of_birth", "statutory_category", "do_not_contact", "notify_by"}
    assert "not an e-mail" in errors[6]["email"][0] and "no notices" in errors[6]["notify_by"][0]
    assert set(errors[7]) == {"address", "safe_at_home_card_expires"}
    # Twice the same victim in one file is reported on its row.
    twice = import_run(kind="victims", content=HEADER + GOOD + GOOD.splitlines()[0] + "\n", user=world.victims)
    assert not twice.ok


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor", "staff_jccc", "boards"])
def test_no_other_role_may_import_victims(world, role, client_for):
    result = import_run(kind="victims", content=HEADER + GOOD, user=getattr(world, role), commit=True)
    assert not result.committed and Victim.objects.count() == 0
    page = client_for(getattr(world, role)).get(reverse("core:import_start"))
    assert page.status_code == 404 or 'value="victims"' not in page.content.decode()


def test_the_uploaded_file_is_kept_encrypted_and_its_preview_only_for_victim_services(world, client_for):
    client = client_for(world.victims)
    response = client.post(
        reverse("core:import_start"),
        {"kind": "victims", "file": SimpleUploadedFile("v.csv", (HEADER + GOOD).encode(), content_type="text/csv")},
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("core:import_preview", args=[batch.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM core_importbatch WHERE id = %s", [batch.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("fernet:") and "Vantongeren" not in stored and "573-555" not in stored
    preview = client.get(reverse("core:import_preview", args=[batch.pk])).content.decode()
    assert "Vantongeren" in preview
    # An administrator may import victims too; an auditor, who reads other uploads, not this one.
    assert client_for(world.auditor).get(reverse("core:import_preview", args=[batch.pk])).status_code == 404
    client = client_for(world.victims)  # the fixture's one client signs in again
    client.post(reverse("core:import_preview", args=[batch.pk]))
    assert Victim.objects.count() == 2


def test_the_stored_preview_is_sealed_and_a_failed_step_keeps_no_message(world, client_for):
    """The preview kept on the batch holds the rows' values: sealed like the file. A step that fails keeps
    only the kind of error, since a message may quote a row."""
    from core.choices import ImportStatus
    from core.imports import import_batch_work, preview_data

    client = client_for(world.victims)
    data = {"kind": "victims", "file": SimpleUploadedFile("v.csv", (HEADER + GOOD).encode(), content_type="text/csv")}
    client.post(reverse("core:import_start"), data)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED
    assert "Vantongeren" not in batch.preview and "573-555-0161" not in batch.preview
    assert any("Vantongeren" in row["values"]["name"] for row in preview_data(batch)["rows"])

    failing = ImportBatch.objects.create(
        kind="victims",
        filename="broken.csv",
        content="Vantongeren, 573-555-0161: not a sealed file",
        uploaded_by=world.victims,
        status=ImportStatus.CHECKING,
    )
    import_batch_work(batch_id=failing.pk)
    failing.refresh_from_db()
    assert failing.status == ImportStatus.FAILED
    assert "message is not kept" in failing.error
    assert "Vantongeren" not in failing.error and "573-555-0161" not in failing.error

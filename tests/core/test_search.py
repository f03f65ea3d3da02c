"""Search goes through scope: an officer finds their own people and never another district's."""

import pytest


@pytest.mark.django_db
def test_search_finds_in_scope_offender_by_doc_id(world, client_for):
    page = client_for(world.officer).get("/search/", {"q": world.supervised.doc_id}).content.decode()
    assert world.supervised.get_absolute_url() in page


@pytest.mark.django_db
def test_search_hides_out_of_scope_offender(world, client_for):
    page = client_for(world.officer).get("/search/", {"q": world.supervised_d10.doc_id}).content.decode()
    assert world.supervised_d10.get_absolute_url() not in page
    assert "Nothing you can see matches" in page


@pytest.mark.django_db
def test_search_by_case_number_for_supervisor(world, client_for):
    page = client_for(world.supervisor).get("/search/", {"q": "26AC-CR00001"}).content.decode()
    assert world.case.get_absolute_url() in page
    assert world.case_d10.get_absolute_url() not in page


@pytest.mark.django_db
def test_search_needs_two_characters(world, client_for):
    page = client_for(world.admin).get("/search/", {"q": "1"}).content.decode()
    assert "at least two characters" in page

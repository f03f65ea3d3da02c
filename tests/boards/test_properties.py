"""The chair rule over any sequence of appointments: whatever is accepted, no two chair terms of a board
overlap and no member chairs more than a year without a break; a refused appointment writes nothing."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boards import services
from boards.models import ChairTerm, add_years
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)
appointment = st.tuples(st.integers(0, 2), st.integers(0, 700), st.integers(0, 400))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(appointments=st.lists(appointment, min_size=1, max_size=10))
def test_chairs_never_overlap_nor_serve_a_year_without_a_break(world, appointments):
    with transaction.atomic():
        board = bf.board(world.d9, world.boards, quorum=1)
        members = [bf.member(board, user=world.boards, term_start=START, years=3) for _ in range(3)]
        for who, offset, length in appointments:
            starts = START + dt.timedelta(days=offset)
            before = ChairTerm.objects.count()
            try:
                services.chair_appoint(
                    user=world.boards, member=members[who], starts_on=starts, ends_on=starts + dt.timedelta(days=length)
                )
            except ValidationError:
                assert ChairTerm.objects.count() == before
        terms = sorted(ChairTerm.objects.filter(board=board), key=lambda t: t.starts_on)
        for a, b in itertools.pairwise(terms):
            assert a.ends_on < b.starts_on  # no overlap
        # each member's unbroken runs (terms end to end) last less than a year
        for m in members:
            runs = []
            for t in sorted(ChairTerm.objects.filter(member=m), key=lambda t: t.starts_on):
                if runs and runs[-1][1] + dt.timedelta(days=1) == t.starts_on:
                    runs[-1][1] = t.ends_on
                else:
                    runs.append([t.starts_on, t.ends_on])
            assert all(end < add_years(start, 1) for start, end in runs)
        transaction.set_rollback(True)

"""CSV import ``board_members``: a board's citizen volunteers from the coordinator's spreadsheet. Each row
goes through ``member_add``, so the rules of the member form apply: a term of 1 to 3 years, the conflict
check against every person referred to the board (a possible conflict refuses the row with the platform's
opaque message only)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.imports import ROW, Importer, RowError, register_importer

from . import services
from .models import Board, Member


@register_importer
class MemberImporter(Importer):
    """Citizen members of a board, one row each; a member already on the board (same name) is ignored."""

    kind = "board_members"
    label = "Reparation board members"
    model = Member
    columns = ["board", "name", "phone", "email", "address", "term_start", "term_end", "training_completed_on"]
    required = {"board", "name", "term_start", "term_end"}
    field_columns = {
        "board": "board",
        "name": "name",
        "phone": "phone",
        "email": "email",
        "address": "address",
        "term_start": "term_start",
        "term_end": "term_end",
        "training_completed_on": "training_completed_on",
    }
    key_column = "name"
    help_text = (
        "One row per member: the board's name as it is in RJ Admin, the member's name and contact, the term "
        "(YYYY-MM-DD, 1 to 3 years) and the date the training was completed (empty: not yet)."
    )

    def key(self, values):
        return "|".join(values.get(c, "").strip().lower() for c in ("board", "name"))

    def prepare(self, rows):
        from core.querysets import ADD

        boards = Board.objects.all() if self.user is None else Board.objects.restrict(self.user, ADD)
        self.boards = {b.name.strip().lower(): b for b in boards}
        self.existing = {
            (board_id, name.strip().lower())
            for board_id, name in Member.objects.filter(board__in=self.boards.values()).values_list("board_id", "name")
        }

    def check(self, values):
        errors = {}
        board = self.boards.get(values["board"].strip().lower())
        if board is None:
            errors["board"] = f"No board '{values['board']}' that you coordinate."
        parsed = {}
        for column in ("term_start", "term_end", "training_completed_on"):
            if column == "training_completed_on" and not values.get(column, "").strip():
                parsed[column] = None
                continue
            try:
                parsed[column] = self.parse_date(values[column], column)
            except RowError as exc:
                errors.update(exc.errors)
        if errors:
            raise RowError(errors)
        name = " ".join(values["name"].split())
        if (board.pk, name.lower()) in self.existing:
            return "ignore", None
        member = Member(
            board=board,
            name=name,
            phone=values.get("phone", "").strip(),
            email=values.get("email", "").strip(),
            address=values.get("address", "").strip(),
            **parsed,
        )
        try:
            member.full_clean()
        except ValidationError as exc:
            raise RowError(
                {
                    (ROW if k == NON_FIELD_ERRORS else self.field_columns.get(k, k)): " ".join(v)
                    for k, v in exc.message_dict.items()
                }
            ) from exc
        return "create", member

    def apply(self, payload):
        if payload is None:
            return None
        return services.member_add(user=self.user, member=payload)

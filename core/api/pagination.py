"""The API's pages: ``?limit=`` and ``?offset=``, ``PAGE_SIZE`` rows by default (settings) and 500 at the most.

DRF's own ``LimitOffsetPagination`` quietly caps a large limit, ignores a malformed one, and passes
an offset past PostgreSQL's bigint to the database (a 500). Here a limit or offset out of range or
not a whole number is a 400 that says what is allowed.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 100_000_000


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def _whole_number(self, request, name: str, low: int, high: int, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise ValidationError({name: [f"A whole number from {low} to {high:,}."]})
        return value

    def get_limit(self, request):
        return self._whole_number(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0, MAX_OFFSET, 0)

from django import template

from restitution.tables import money as _money
from restitution.tables import status_badge as _status_badge

register = template.Library()


@register.filter
def money(value):
    """``$1,234.50``; an empty value shows as a dash."""
    if value is None or value == "":
        return "—"
    return _money(value)


@register.filter
def status_badge(status):
    return _status_badge(status) if status else "—"


@register.filter
def is_money(value) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)

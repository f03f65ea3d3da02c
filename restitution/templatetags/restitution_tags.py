from decimal import Decimal

from django import template

from core.templatetags.rj_tags import money
from restitution.tables import status_badge as _status_badge

register = template.Library()
register.filter("money", money)  # core's: ``$1,234.50``; an empty value shows as a dash


@register.filter
def status_badge(status):
    return _status_badge(status) if status else "—"


@register.filter
def is_money(value) -> bool:
    return isinstance(value, Decimal)

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}`` for keys that are not valid attribute names."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def money(value):
    """``{{ amount|money }}``: ``$1,234.50``; an empty value shows as a dash."""
    if value is None or value == "":
        return "—"
    return format_money(value)

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}`` for keys that are not valid attribute names."""
    if mapping is None:
        return None
    return mapping.get(key)

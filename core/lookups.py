"""``field__any=values``: ``field = ANY(%s)`` with the values sent as one array parameter.

``__in`` writes one placeholder per value, and for a file of 100,000 rows the driver then spends
longer splitting the query text than PostgreSQL spends answering it. The imports look up every key of
a file at once with this lookup instead. Registered on every field by ``CoreConfig.ready``.
"""

from django.db.models import Field, ForeignObject, Lookup


@Field.register_lookup
@ForeignObject.register_lookup  # foreign keys have lookups of their own
class AnyLookup(Lookup):
    """Pass a set or a list (a set is not walked value by value by the query's resolver)."""

    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        field = self.lhs.output_field
        return [field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs]
        return f"{lhs} = ANY(%s)", [*params, values]

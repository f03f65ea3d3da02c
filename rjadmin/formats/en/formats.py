"""How RJ Admin prints dates: one way everywhere (``Mar 5, 2026``, ``Mar 5, 2026 14:07``).

Django's own English formats differ by place (``March 5, 2026`` on a page, ``03/05/2026`` in a table);
``FORMAT_MODULE_PATH`` puts these first. Templates use ``|date`` or a named format
(``|date:"DATETIME_FORMAT"``), never a literal one; Python uses ``core.dates``.
"""

DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "M j, Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"

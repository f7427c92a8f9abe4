"""Peruvian official documents write numbers with a decimal point (37.85 %, 6,235)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = "j \\d\\e F \\d\\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j \\d\\e F \\d\\e Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

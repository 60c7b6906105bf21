# English as the network writes it (British usage, 24-hour clock): "30 November 2026, 14:05".
# Templates name these formats (|date:"DATE_FORMAT", "SHORT_DATETIME_FORMAT", ...) and never spell
# a format out, so each language shows dates its own way (unnm/formats/ar/formats.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

# English as the portal writes it: day, month, year (UN usage), 24-hour times. The named formats
# are what templates use (`|date:"DATETIME_FORMAT"`), so Arabic gets its own comma (ar/formats.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

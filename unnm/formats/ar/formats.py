# Arabic as written in the Gulf's UN offices: Western digits, "." for decimals and "," for
# thousands, as in the amounts of budgets and funding; Django's own Arabic format uses "," for
# decimals, which turns "85,000.00" into "85,000,00" once grouped.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d/m/Y"
# The Arabic comma (U+060C) between date and time, never a Latin one.
SHORT_DATETIME_FORMAT = "d/m/Y، H:i"
# The 24-hour clock, as in the meeting invitations and the English pages.
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"

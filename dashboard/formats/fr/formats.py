"""French: "7 décembre 2026" and "7 décembre 2026, 01:03 UTC" (the month in full: Django's
three-letter French months write June and July alike)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

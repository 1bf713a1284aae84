"""English: "7 Dec 2026" and "7 Dec 2026, 01:03 UTC" (day first, 24-hour clock, the zone named)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

"""Open data out (event CSV, iCalendar) and resource CSV import in."""

from __future__ import annotations

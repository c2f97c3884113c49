"""Export the default scenario's deadlines to an iCalendar file a calendar app imports.

Needs the "ical" extra (pip install "tradetruce[ical]"). Run:

    python examples/deadlines_to_calendar.py [OUTPUT.ics]
"""

import sys
from pathlib import Path

import tradetruce as tt
from tradetruce.ical import deadlines_ics

scenario = tt.load_seed()
target = Path(sys.argv[1] if len(sys.argv) > 1 else "us-china-deadlines.ics")
# iCalendar lines end in CRLF: write the text unchanged.
target.write_text(deadlines_ics(scenario), encoding="utf-8", newline="")

print(f"Wrote {len(scenario.deadlines)} deadlines to {target}:")
for d in sorted(scenario.deadlines, key=lambda d: d.due.sort_key):
    # Each due time in its own zone, exactly as precise as the report.
    print(f"  {d.due!s:36} {d.title}")

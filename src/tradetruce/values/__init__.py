"""Values: time values, calendar values, HS codes, rates and terms, and their validators."""

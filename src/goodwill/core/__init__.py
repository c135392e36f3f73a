"""Pure relationship logic. No Django, no files, no clock: today is a parameter."""

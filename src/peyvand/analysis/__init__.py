"""Analysis of feedback and reactions: signals (change detection), and the calendar they rely on."""

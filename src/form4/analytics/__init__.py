"""Answers over filings: pure functions over records (``short_swing``: Section 16(b) profit)."""

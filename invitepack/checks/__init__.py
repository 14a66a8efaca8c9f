"""Checking notes and templates: evidence, rules, verdicts."""

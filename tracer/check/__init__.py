"""Homework checking: read a student's answers, grade them against a Trace, report."""

"""Handouts: randomized exercise variants, the rules of a good exercise, sheets and keys."""

FORMATS = ("md", "tex", "pdf")
DEFAULT_DECIMALS = 4  # decimals of the asked answers

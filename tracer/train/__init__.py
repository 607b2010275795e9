"""Gradient descent over many steps: the loop, the verdict per learning rate, plots, reports."""

FORMATS = ("term", "md", "tex", "pdf", "html", "json")

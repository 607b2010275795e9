"""Handouts: randomized exercise variants, the rules of a good exercise, sheets and keys."""

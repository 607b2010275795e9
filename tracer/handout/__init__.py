"""Handouts: randomized exercise variants, the rules of a good exercise, sheets and keys."""

FORMATS = ("md", "tex", "pdf", "html")
DEFAULT_DECIMALS = 4  # decimals of the asked answers
HAND_INS = ("paper", "file", "both")  # how students hand their answers in (``--hand-in``)
LMS = ("moodle", "canvas")  # the learning-management systems a handout is exported to (``--lms``)
LMS_FILES = {"moodle": "moodle.xml", "canvas": "canvas-qti.zip"}  # the file each LMS imports

"""The fast sentence model's files, shipped as package data (see ``MODEL.md``), and the
script that made them (``distil.py``; not imported by wiretrace)."""

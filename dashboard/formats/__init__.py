"""Zenith's date formats, one module per language (settings.FORMAT_MODULE_PATH): one format for a
date and one for a date with its time in each language, the short ones the same, so every page
prints a time one way whichever of Django's format names a template asks for. What a module leaves
out (input formats, numbers) is Django's own for the language."""

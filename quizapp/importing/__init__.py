"""Bringing Anki collections in: deck files from their notes, history from their review
logs, and reviews done in Anki on cards quizapp exported (``quizapp import anki``).

Only :mod:`quizapp.importing.ankifile` imports the ``anki`` package (the optional extra
``.[anki]``); everything after it works on the plain values of
:mod:`quizapp.importing.model`.
"""

"""Reference models and answer checking for computational cards.

- :mod:`~quizapp.grading.models`: the torch reference models (the truth)
- :mod:`~quizapp.grading.formulas`: closed forms and the derivations shown after grading
- :mod:`~quizapp.grading.draw`: drawing fresh parameters for each review
- :mod:`~quizapp.grading.check`: reading and checking a typed answer
- :mod:`~quizapp.grading.grade`: question text, grade, suggested rating

Parameter limits, coercion and the constraints between parameters are the deck
format's (:mod:`quizapp.deckfile.rules`): the parser checks a ``quiz`` block with the
same rules the grader applies. None of these imports torch at module level; only
computing an answer does.
"""

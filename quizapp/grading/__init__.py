"""Reference models and answer checking for computational cards.

- :mod:`~quizapp.grading.params`: parameter defaults, coercion and sanity rules
- :mod:`~quizapp.grading.models`: the torch reference models (the truth)
- :mod:`~quizapp.grading.formulas`: closed forms and the derivations shown after grading
- :mod:`~quizapp.grading.draw`: drawing fresh parameters for each review
- :mod:`~quizapp.grading.check`: reading and checking a typed answer
- :mod:`~quizapp.grading.grade`: question text, grade, suggested rating

None of these imports torch at module level; only computing an answer does.
"""

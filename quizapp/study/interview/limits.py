"""How big an interview may be, wherever it is chosen (command line or app)."""

#: the most questions one interview asks
MAX_QUESTIONS = 500
#: the longest interview, in minutes (a day)
MAX_MINUTES = 24 * 60

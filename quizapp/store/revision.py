"""The schema revisions this version of quizapp knows (Alembic's, see ``migrations/``)."""

from __future__ import annotations

#: the newest migration this version knows; checked against Alembic's head in the tests
SCHEMA_HEAD = "0002"
#: every revision this version can read, oldest first
KNOWN_REVISIONS = ("0001", "0002")
#: the table every quizapp schema has: a database with an ``alembic_version`` table but
#: without this one belongs to another program that also uses Alembic
MARKER_TABLE = "cards"
#: the tables the first screen reads before the full stack is loaded; each must be a
#: real table (the full path's check too), not a view
QUICK_TABLES = ("alembic_version", MARKER_TABLE, "reviews", "meta", "deck_files")

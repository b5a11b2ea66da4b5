"""The schema revisions this version of quizapp knows (Alembic's, see ``migrations/``)."""

from __future__ import annotations

#: the newest migration this version knows; checked against Alembic's head in the tests
SCHEMA_HEAD = "0002"
#: every revision this version can read, oldest first
KNOWN_REVISIONS = ("0001", "0002")

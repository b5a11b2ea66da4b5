"""The Textual app: home, study, browse and help screens (the only package importing
textual)."""

"""deckfile."""

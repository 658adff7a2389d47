"""Statistics views."""

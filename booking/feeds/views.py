"""Feed views."""

"""Mail viewer views."""

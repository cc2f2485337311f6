"""Views: see assignments/urls.py."""

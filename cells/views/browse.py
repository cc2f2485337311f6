"""Views: see cells/urls.py."""

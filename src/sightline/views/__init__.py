"""Views: one data function per view, whose result is rendered as JSON or as a page."""

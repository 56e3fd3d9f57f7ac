"""Sightline: self-hosted, privacy-first web analytics centred on profiles and sessions."""

__version__ = "0.1.0"

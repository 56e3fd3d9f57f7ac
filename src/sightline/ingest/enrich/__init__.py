"""Turning a user agent, an IP and a referrer into the dimensions visitors are counted by."""

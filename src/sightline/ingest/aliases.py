"""Which anonymous profiles have been identified, kept in memory for the ingest path.

Only the first identification of an anonymous profile makes an alias; knowing the links
here keeps later ones out of the store, and lets the tracker be told who a visitor is.
"""

from __future__ import annotations


class Aliases:
    def __init__(self) -> None:
        self._identified: dict[tuple[str, str], str] = {}

    def identified_as(self, site: str, anonymous_id: str) -> str | None:
        return self._identified.get((site, anonymous_id))

    def link(self, site: str, anonymous_id: str, profile_id: str) -> bool:
        """Link unless already linked; True when this is the (first) link."""
        key = (site, anonymous_id)
        if key in self._identified:
            return False
        self._identified[key] = profile_id
        return True

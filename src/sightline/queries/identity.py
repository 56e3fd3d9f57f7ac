"""Identity at read time: an anonymous profile linked to an identified one is that profile."""

from __future__ import annotations

from sightline.store.base import Store


def sessions_with_profiles(where: str) -> str:
    """Current rows of sessions starting in the period (alias `s`, filtered by `where`), with
    `profile`: their profile once aliases are applied.

    Ingest writes one alias per anonymous id (the first identification), so any matching
    alias row is the one. An anonymous id lives in one salt month, and so do its aliases:
    those older than the month before the period cannot match its sessions.
    """
    return (
        "SELECT s.*, if(a.identified != '', a.identified, s.profile_id) AS profile"
        " FROM sessions AS s FINAL"
        " ANY LEFT JOIN (SELECT anon_id, profile_id AS identified FROM aliases"
        " WHERE site = {site:String}"
        " AND time >= toStartOfMonth({period_start:DateTime64(3, 'UTC')}) - INTERVAL 1 MONTH)"
        " AS a ON a.anon_id = s.profile_id"
        f" WHERE s.site = {{site:String}} AND {where}"
    )


def stored_ids_of(store: Store, site: str, profile_id: str) -> list[str]:
    """The profile ids stored on the sessions of `profile_id`: itself and its aliases."""
    rows = store.query(
        "SELECT anon_id FROM aliases WHERE site = {site:String} AND anon_id IN (SELECT anon_id"
        " FROM aliases WHERE site = {site:String} AND profile_id = {profile:String})"
        " GROUP BY anon_id HAVING argMin(profile_id, seq) = {profile:String}",
        {"site": site, "profile": profile_id},
    )
    return [profile_id, *(row["anon_id"] for row in rows)]


def resolve(store: Store, site: str, stored_ids: list[str]) -> dict[str, str]:
    """The profile each stored id belongs to now (identified ids and unlinked ones: itself)."""
    anonymous = sorted({i for i in stored_ids if i.startswith("anon_")})
    resolved = {i: i for i in stored_ids}
    if anonymous:
        rows = store.query(
            "SELECT anon_id, argMin(profile_id, seq) AS identified FROM aliases"
            " WHERE site = {site:String} AND anon_id IN {ids:Array(String)} GROUP BY anon_id",
            {"site": site, "ids": anonymous},
        )
        resolved.update({row["anon_id"]: row["identified"] for row in rows})
    return resolved


def identified_as(store: Store, site: str, anonymous_id: str) -> str | None:
    """The identified profile an anonymous one was merged into, if it was."""
    identified = resolve(store, site, [anonymous_id])[anonymous_id]
    return None if identified == anonymous_id else identified


def traits_of(store: Store, site: str, profile_ids: list[str]) -> dict[str, dict[str, str]]:
    """Each profile's traits, newer values of a key replacing older ones."""
    if not profile_ids:
        return {}
    merged: dict[str, dict[str, str]] = {}
    rows = store.query(
        "SELECT profile_id, traits FROM traits WHERE site = {site:String}"
        " AND profile_id IN {ids:Array(String)} ORDER BY seq",
        {"site": site, "ids": profile_ids},
    )
    for row in rows:
        merged.setdefault(row["profile_id"], {}).update(dict(row["traits"]))
    return merged


def display_name(traits: dict[str, str]) -> str | None:
    return traits.get("name") or traits.get("email") or None

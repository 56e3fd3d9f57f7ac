"""Browser, OS and device type from the user agent, with ua-parser's rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ua_parser import parse

TABLET_DEVICES = ("ipad", "tablet", "kindle", "nexus 7", "nexus 9", "nexus 10", "galaxy tab")


@dataclass(frozen=True, slots=True)
class Software:
    browser: str
    browser_version: str
    os: str
    os_version: str
    device: str  # desktop, mobile, tablet, or "" when unknown


def _version(major: str | None, minor: str | None) -> str:
    if not major:
        return ""
    return f"{major}.{minor}" if minor else major


def _device_type(user_agent: str, os_family: str, device_family: str) -> str:
    agent = user_agent.lower()
    family = device_family.lower()
    if any(t in family for t in TABLET_DEVICES) or "tablet" in agent or "ipad" in agent:
        return "tablet"
    if os_family == "Android":
        return "mobile" if "mobile" in agent else "tablet"
    if os_family in {"iOS", "Windows Phone", "KaiOS"} or "mobile" in agent:
        return "mobile"
    if os_family in {"Windows", "Mac OS X", "macOS", "Linux", "Ubuntu", "Chrome OS", "Fedora"}:
        return "desktop"
    return "desktop" if user_agent else ""


@lru_cache(maxsize=20_000)
def describe(user_agent: str) -> Software:
    result = parse(user_agent)
    agent, system, device = result.user_agent, result.os, result.device
    browser = agent.family if agent and agent.family != "Other" else ""
    os_family = system.family if system and system.family != "Other" else ""
    return Software(
        browser=browser,
        browser_version=_version(agent.major, agent.minor) if agent and browser else "",
        os=os_family,
        os_version=_version(system.major, system.minor) if system and os_family else "",
        device=_device_type(user_agent, os_family, device.family if device else ""),
    )

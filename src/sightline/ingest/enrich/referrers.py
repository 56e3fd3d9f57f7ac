"""Referrer URL or utm_source to a source name people recognise."""

from __future__ import annotations

from urllib.parse import urlsplit

# Host (without "www.") or its last labels -> source name.
KNOWN_SOURCES: dict[str, str] = {
    "google": "Google",
    "bing.com": "Bing",
    "duckduckgo.com": "DuckDuckGo",
    "yahoo.com": "Yahoo!",
    "yandex": "Yandex",
    "baidu.com": "Baidu",
    "ecosia.org": "Ecosia",
    "search.brave.com": "Brave Search",
    "startpage.com": "Startpage",
    "kagi.com": "Kagi",
    "facebook.com": "Facebook",
    "l.facebook.com": "Facebook",
    "m.facebook.com": "Facebook",
    "fb": "Facebook",
    "instagram.com": "Instagram",
    "t.co": "Twitter",
    "twitter.com": "Twitter",
    "x.com": "Twitter",
    "linkedin.com": "LinkedIn",
    "lnkd.in": "LinkedIn",
    "reddit.com": "Reddit",
    "old.reddit.com": "Reddit",
    "news.ycombinator.com": "Hacker News",
    "youtube.com": "YouTube",
    "m.youtube.com": "YouTube",
    "github.com": "GitHub",
    "producthunt.com": "Product Hunt",
    "pinterest.com": "Pinterest",
    "tiktok.com": "TikTok",
    "mastodon.social": "Mastodon",
    "bsky.app": "Bluesky",
    "wikipedia.org": "Wikipedia",
    "chatgpt.com": "ChatGPT",
    "perplexity.ai": "Perplexity",
    "newsletter": "Newsletter",
    # bare names, as sites write them in utm_source
    "bing": "Bing",
    "duckduckgo": "DuckDuckGo",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "twitter": "Twitter",
    "x": "Twitter",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "youtube": "YouTube",
    "github": "GitHub",
    "hackernews": "Hacker News",
    "hn": "Hacker News",
}


def host_of(url: str) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


# Brands whose sites live under many country domains: google.de, google.co.uk, yandex.ru ...
BRANDS = {
    "google": "Google",
    "yandex": "Yandex",
    "bing": "Bing",
    "yahoo": "Yahoo!",
    "baidu": "Baidu",
    "ecosia": "Ecosia",
    "amazon": "Amazon",
    "ebay": "eBay",
}
SECOND_LEVELS = {"co", "com", "org", "net", "ac", "gov"}


def _known(name: str) -> str | None:
    name = name.lower().removeprefix("www.")
    if name in KNOWN_SOURCES:
        return KNOWN_SOURCES[name]
    labels = name.split(".")
    for i in range(1, len(labels) - 1):
        if ".".join(labels[i:]) in KNOWN_SOURCES:
            return KNOWN_SOURCES[".".join(labels[i:])]
    # the registered name: "google" in news.google.com and in google.co.uk
    if len(labels) >= 2:
        registered = labels[-2]
        if registered in SECOND_LEVELS and len(labels) >= 3:
            registered = labels[-3]
        return BRANDS.get(registered)
    return None


def source_name(referrer: str, utm_source: str, own_host: str) -> str:
    """utm_source wins; then the referrer's host; a referrer from the site itself is no source."""
    if utm_source:
        return _known(utm_source) or utm_source
    host = host_of(referrer)
    if not host or host == own_host.removeprefix("www."):
        return ""
    return _known(host) or host

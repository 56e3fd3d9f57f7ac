"""The `sightline` command: serve, manage sites, run the demo."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sightline.meta import db
from sightline.meta.sites import SiteError, Sites
from sightline.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=getattr(args, "data", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        trust_proxy=True if getattr(args, "trust_proxy", False) else None,
        client_ip_header=getattr(args, "client_ip_header", None),
        geoip_db=getattr(args, "geoip_db", None),
        log_level=getattr(args, "log_level", None),
    )


def _server_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="interface to listen on (SIGHTLINE_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (SIGHTLINE_PORT, 8000)")
    parser.add_argument("--data", type=Path, help="data folder (SIGHTLINE_DATA_DIR)")
    parser.add_argument(
        "--trust-proxy",
        action="store_true",
        help="take the client IP from --client-ip-header (SIGHTLINE_TRUST_PROXY)",
    )
    parser.add_argument(
        "--client-ip-header", help="header with the client IP behind a proxy (X-Forwarded-For)"
    )
    parser.add_argument(
        "--geoip-db",
        type=Path,
        help="MaxMind-format .mmdb for country, region, city (SIGHTLINE_GEOIP_DB)",
    )
    parser.add_argument("--log-level", help="debug, info, warning (SIGHTLINE_LOG_LEVEL)")


def _run_server(settings: Settings, app: object) -> None:
    import uvicorn

    from sightline.app import server_config

    uvicorn.Server(server_config(app, settings)).run()


def cmd_serve(args: argparse.Namespace) -> int:
    from sightline.app import create_app

    settings = _settings(args)
    _run_server(settings, create_app(settings))
    return 0


def cmd_sites_add(args: argparse.Namespace) -> int:
    settings = _settings(args)
    sites = Sites(db.connect(settings.meta_path))
    try:
        site = sites.create(
            args.name,
            timezone=args.timezone,
            pid=args.pid,
            origins=args.origin,
            blocked_ips=args.block_ip,
            blocked_countries=args.block_country,
            bot_protection=args.bot_protection,
        )
    except SiteError as exc:
        print(f"sightline: {exc}", file=sys.stderr)
        return 2
    print(site.pid)
    return 0


def cmd_sites_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    for site in Sites(db.connect(settings.meta_path)).list():
        state = "active" if site.active else "inactive"
        print(f"{site.pid}\t{site.name}\t{site.timezone}\t{state}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sightline.demo import run_demo

    settings = _settings(args)
    return run_demo(
        settings, profiles=args.profiles, days=args.days, seed=args.seed, serve=_run_server
    )


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="sightline", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    _server_flags(serve)
    serve.set_defaults(run=cmd_serve)

    sites = commands.add_parser("sites", help="create and list sites")
    site_commands = sites.add_subparsers(dest="sites_command", required=True)
    add = site_commands.add_parser("add", help="create a site and print its pid")
    add.add_argument("name")
    add.add_argument("--data", type=Path, help="data folder (SIGHTLINE_DATA_DIR)")
    add.add_argument("--timezone", default="UTC", help="IANA time zone of the site's reports")
    add.add_argument("--pid", help="choose the pid instead of a random one")
    add.add_argument("--origin", action="append", help="allowed origin host (repeatable)")
    add.add_argument("--block-ip", action="append", help="IP or CIDR range to drop (repeatable)")
    add.add_argument("--block-country", action="append", help="ISO country code to drop")
    add.add_argument("--bot-protection", default="basic", choices=["off", "basic"])
    add.set_defaults(run=cmd_sites_add)
    listing = site_commands.add_parser("list", help="list sites")
    listing.add_argument("--data", type=Path, help="data folder (SIGHTLINE_DATA_DIR)")
    listing.set_defaults(run=cmd_sites_list)

    demo = commands.add_parser("demo", help="serve a demo site full of generated traffic")
    _server_flags(demo)
    demo.add_argument("--profiles", type=int, default=4000, help="visitors to generate")
    demo.add_argument("--days", type=int, default=180, help="days of history")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the generator")
    demo.set_defaults(run=cmd_demo)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())

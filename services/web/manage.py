"""Staff accounts from a terminal: the first administrator of a deployment, or a lost admin password.

Run with the web app's environment (MONGODB_URI, MONGODB_DB, HOMEWARD_ENV), the password on stdin:

    printf '%s' "$PASSWORD" | python -m services.web.manage create-account alice admin --email alice@example.org
    printf '%s' "$PASSWORD" | python -m services.web.manage set-password alice

Everything else about accounts is done by administrators at /staff.
"""
from __future__ import annotations

import argparse
import sys

from services.web import accounts, store
from services.web.config import WebSettings
from shared.clock import SystemClock
from shared.config import ConfigError


def main(argv=None, stdin=None, settings: WebSettings | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.web.manage")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-account", help="a new staff account (password from stdin)")
    create.add_argument("username")
    create.add_argument("role", choices=["consultant", "project_lead", "admin"])
    create.add_argument("--name", default="", help="display name")
    create.add_argument("--email", required=True, help="where the account's notifications go")
    reset = commands.add_parser("set-password", help="a new password, which ends the account's open sessions")
    reset.add_argument("username")
    args = parser.parse_args(argv)
    password = (stdin or sys.stdin).read().rstrip("\n")
    try:
        store.connect(settings or WebSettings.from_env())
        if args.command == "create-account":
            accounts.create_account(args.username, args.role, password, SystemClock().now(), display_name=args.name,
                                    email=args.email)
        else:
            if accounts.account(args.username) is None:
                print(f"no account {args.username}", file=sys.stderr)
                return 1
            accounts.set_password(args.username, password)
    except (accounts.AccountError, ConfigError) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    print(f"{args.command}: {args.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

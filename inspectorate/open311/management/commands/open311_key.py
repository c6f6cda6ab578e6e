"""Issue, list and revoke Open311 keys (audited; the key is printed once and never stored).

    manage.py open311_key create --name "Yueyang city app" --contact "12345 hotline office" \
        --campaign hn-2-yueyang [--campaign …] [--rate-limit 30] [--user admin]
    manage.py open311_key list
    manage.py open311_key revoke o311_AbCdEfG [--reason "…"] [--user admin]
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inspectorate.accounts.models import User
from inspectorate.campaigns.models import Campaign
from inspectorate.open311 import actions
from inspectorate.open311.models import Open311Key


def _actor(username: str | None) -> User:
    qs = User.objects.filter(username=username) if username else User.objects.filter(is_superuser=True)
    actor = qs.filter(is_active=True).order_by("pk").first()
    if actor is None:
        raise CommandError("no active user to act as (give --user)")
    return actor


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs)
    return "; ".join(exc.messages)


class Command(BaseCommand):
    help = "Issue (create), list or revoke Open311 keys of client applications."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Issue a key; it is printed once.")
        create.add_argument("--name", required=True, help="The client application.")
        create.add_argument("--contact", required=True, help="Who runs it, and how to reach them.")
        create.add_argument("--campaign", action="append", required=True, help="A campaign code it may post to (repeat).")
        create.add_argument("--rate-limit", type=int, default=30, help="Reports per minute (default 30).")
        create.add_argument("--user", help="Act as this user (default: the first superuser).")
        sub.add_parser("list", help="List the keys (prefixes only).")
        revoke = sub.add_parser("revoke", help="Revoke a key by its prefix (or the whole key).")
        revoke.add_argument("prefix")
        revoke.add_argument("--reason", default="")
        revoke.add_argument("--user", help="Act as this user (default: the first superuser).")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["verb"])(options)

    def _create(self, options: dict[str, Any]) -> None:
        codes = options["campaign"]
        campaigns = list(Campaign.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {c.code for c in campaigns})
        if missing:
            raise CommandError(f"unknown campaign code(s): {', '.join(missing)}")
        try:
            key, plain = actions.create_key(
                name=options["name"],
                contact=options["contact"],
                campaigns=campaigns,
                rate_limit=options["rate_limit"],
                actor=_actor(options.get("user")),
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        except PermissionDenied:
            raise CommandError("this user may not issue keys for these campaigns") from None
        self.stdout.write(f"{key.name}: {plain}")
        self.stdout.write("Keep this key now: it is not stored and cannot be shown again.")

    def _list(self, options: dict[str, Any]) -> None:
        for key in Open311Key.objects.prefetch_related("campaigns").order_by("created_at"):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            codes = ",".join(sorted(c.code for c in key.campaigns.all()))
            self.stdout.write(f"{key.prefix:<14} {state:<18} {key.rate_limit:>5}/min  {codes:<30} {key.name}")

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].strip()[:12]
        matches = list(Open311Key.objects.filter(prefix=prefix))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} keys have the prefix {prefix}")
        try:
            actions.revoke_key(matches[0], actor=_actor(options.get("user")), reason=options["reason"])
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        except PermissionDenied:
            raise CommandError("this user may not revoke this key") from None
        self.stdout.write(f"revoked {matches[0]}")

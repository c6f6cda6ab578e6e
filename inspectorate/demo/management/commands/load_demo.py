from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from inspectorate.accounts.models import User
from inspectorate.accounts.otp import needs_otp
from inspectorate.audit.anchors import make_anchor
from inspectorate.demo.registry import LOADERS, DemoContext


class Command(BaseCommand):
    help = "Load the demo scenario (DOMAIN.md §8). Idempotent: running it twice gives the same data."

    def handle(self, *args: object, **options: object) -> None:
        ctx = DemoContext(stdout=self.stdout)
        for dotted in LOADERS:
            import_string(dotted)(ctx)
            self.stdout.write(f"loaded {dotted.rsplit('.', 2)[-2]}")
        # Anchor the day's audit head, as the scheduler does every day, so the public anchors page has a first line.
        anchor, _created = make_anchor()
        self.stdout.write(f"audit anchor {anchor.date} #{anchor.seq} {anchor.hash[:16]}…")
        self.stdout.write("")
        self.stdout.write("Demo accounts (password for all: shown beside each) / 演示账号：")
        seen = set()
        needs = {u.username for u in User.objects.filter(username__in=[login[0] for login in ctx.logins]) if needs_otp(u)}
        for username, password, what in ctx.logins:
            if username in seen:
                continue
            seen.add(username)
            mark = " [2FA]" if username in needs else ""
            self.stdout.write(f"  {username:<20} {password:<16} {what}{mark}")
        self.stdout.write("")
        self.stdout.write(
            "[2FA] = two-factor sign-in: the first login shows a QR code for an authenticator app (and its secret for "
            "`oathtool --totp -b SECRET`) / 首次登录时设置两步验证（扫描二维码）"
        )
        self.stdout.write("Open http://127.0.0.1:8000/ (public complaint form: /public/)")

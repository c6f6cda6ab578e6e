from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

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
        for username, password, what in ctx.logins:
            if username in seen:
                continue
            seen.add(username)
            self.stdout.write(f"  {username:<20} {password:<16} {what}")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ (public complaint form: /public/)")

"""The checklist offline: the service worker script (served under /hazards/ so its scope covers the fill pages) and
the page's bilingual strings. The sync itself is `POST /api/v1/self-inspections/<id>/sync/` (api_selfcheck.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# What the service worker caches when it installs (the page adds its own URL and whatever else it loaded).
SHELL_ASSETS = ("hazards/fill.js", "hazards/hazards.css", "css/app.css", "vendor/htmx/htmx.min.js")
WORKER = "hazards/sw.js"


def _read(name: str) -> bytes:
    found = finders.find(name)
    if found:
        return Path(str(found)).read_bytes()
    with staticfiles_storage.open(name) as fh:
        return fh.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker with its cache version (a hash of itself and the shell's assets: a new deploy gets a new cache)."""
    code = _read(WORKER)
    digest = hashlib.sha256(code)
    for name in SHELL_ASSETS:
        digest.update(_read(name))
    assets = ",".join(f'"{static(name)}"' for name in SHELL_ASSETS)
    head = f'self.HAZARDS_CACHE_VERSION = "{digest.hexdigest()[:16]}";\nself.HAZARDS_SHELL = [{assets}];\n'
    response = HttpResponse(head.encode() + code, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    return response


def offline_texts() -> dict[str, str]:
    return {
        "online": _("Online"),
        "offline": _("Offline: answers are kept on this device"),
        "draft": _("%(n)s of %(total)s answered, saved on this device"),
        "waiting": _("%(n)s answer(s) waiting to sync"),
        "last_sync": _("Last sync: %(when)s"),
        "never": _("Not synced yet"),
        "conflicts": _("%(n)s conflict(s) to resolve"),
        "queued": _("Saved on this device; it will be sent when the network returns."),
        "syncing": _("Sending…"),
        "synced": _("Sent: %(failed)s failed item(s) recorded as hidden dangers."),
        "network_error": _("The network failed; the answers stay on this device and will be sent later."),
        "server_error": _("The server did not take the answers (error %(status)s); they stay on this device."),
        "server_has": _("On the server: %(result)s, by %(by)s at %(at)s"),
        "yours": _("Your answer: %(result)s"),
        "hidden_danger": _("hidden danger %(number)s"),
        "keep_mine": _("Keep my answer"),
        "discard_mine": _("Discard my answer"),
        "discard_all": _("Discard my answers"),
        "photo_kept": _("Photo kept on this device: %(name)s"),
        "no_offline": _("This browser cannot keep the checklist offline; send it while online."),
        "geo_none": _("Location is not available on this device."),
        "geo_refused": _("Location refused or unavailable; the checklist can be sent without it."),
    }

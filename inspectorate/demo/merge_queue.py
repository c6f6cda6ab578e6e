"""Demo for the merge queue (issue 9 point 4): today's screening day of the live Yueyang look-back gets the
issue's example — one incident at 长岭 told three times in different words, a few hundred metres apart — and
a different problem on the same street, so the queue shows one cluster to merge.  Idempotent (marked in `extra`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from inspectorate.complaints import actions
from inspectorate.complaints.models import Complaint

from .registry import DemoContext

TOLD = [  # (channel, text, polluter, lat, lon)
    ("phone", "长岭精细化工晚上往湖里排污，松阳湖的水都变黑了", "长岭精细化工", 29.4601, 113.2801),
    (
        "web",
        "云溪区长岭街道一家化工厂每天半夜偷偷往松阳湖排废水，请督察组尽快查处",
        "岳阳市云溪区长岭精细化工有限公司",
        29.4620,
        113.2830,
    ),
    ("wechat", "长岭精细化工有限公司深夜偷排污水进松阳湖，湖水发黑发臭", "长岭精细化工有限公司", 29.4608, 113.2815),
    ("phone", "长岭街道宏发机械厂晚上机器轰鸣，吵得睡不着，请督察组尽快查处", "宏发机械厂", 29.4610, 113.2810),
]


def load(ctx: DemoContext) -> None:
    campaign = ctx.campaigns.get("hn-lookback-yueyang")
    if campaign is None or Complaint.objects.filter(campaign=campaign, extra__demo="merge_queue").exists():
        return
    inspector = ctx.users.get("hn2_inspector")
    if inspector is None or not campaign.is_intake_open():
        return
    now = timezone.now()
    with transaction.atomic():
        for i, (channel, text, polluter, lat, lon) in enumerate(TOLD):
            actions.submit_complaint(
                campaign=campaign, channel=channel, text=text, received_at=now - dt.timedelta(minutes=40 - i * 5),
                lat=lat, lon=lon, address="岳阳市云溪区长岭街道", polluter_name=polluter,
                reporter_name="" if i % 2 else f"回访群众{20 + i}", reporter_phone="" if i % 2 else f"135730099{i:02d}",
                extra={"demo": "merge_queue"}, actor=inspector,
            )  # fmt: skip
    ctx.log("merge queue: three retellings of one incident at 长岭 to merge today (hn-lookback-yueyang)")

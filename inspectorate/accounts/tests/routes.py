"""Route inventory entries for accounts: one line per URL pattern (format: inspectorate/testing/inventory.py)."""

from inspectorate.testing.inventory import P, R

ROUTES = [
    R("accounts:password_change_done", allowed="inspector", anyone=True),
    R(
        "accounts:revoke_token",
        method="post",
        obj="token",
        allowed="liaison_a",
        anyone=True,
        oos=("liaison_b", "inspector"),
        note="a user's own tokens only: another user's token is a 404, whatever the role",
    ),
    R("me-list", allowed="inspector", anyone=True),
    R("tokens-detail", obj="token", allowed="liaison_a", anyone=True, oos="liaison_b"),
    R("memberships-list", allowed="inspector", anyone=True),
    R("memberships-list", method="post", allowed=("team_leader", "office"), wrong=("auditor", "inspector", "liaison_a")),
    R(
        "memberships-end",
        method="post",
        obj="member",
        allowed="admin",
        anyone=True,
        oos=("liaison_b", "auditor", "inspector"),
        note="only accounts.manage on the unit reaches a membership (the queryset): everyone else gets 404",
    ),
    P("accounts:login"),
    R("accounts:password_change", allowed="inspector", anyone=True),
    R("accounts:tokens", allowed="inspector", anyone=True),
    R("tokens-list", allowed="inspector", anyone=True),
    R(
        "tokens-list",
        method="post",
        allowed=("inspector", "auditor"),
        anyone=True,
        note="every signed-in user makes API tokens for himself (they carry his own roles, nothing more)",
    ),
    R(
        "tokens-revoke",
        method="post",
        obj="token",
        allowed="liaison_a",
        anyone=True,
        oos=("liaison_b", "inspector"),
        note="a user's own tokens only: another user's token is a 404, whatever the role",
    ),
    R("memberships-detail", obj="member", allowed="admin", anyone=True, oos="liaison_b"),
    # 2FA pages: enrol is for a user without a device (one with a device is sent on, 302), verify the other way round
    R("accounts:otp_enrol", allowed="liaison_a", anyone=True),
    R(
        "accounts:otp_enrol",
        method="post",
        allowed="liaison_a",
        anyone=True,
        note="every user sets up his own second factor: no role needed",
    ),
    R("accounts:otp_verify", allowed="inspector", anyone=True),
    R(
        "accounts:otp_verify",
        method="post",
        allowed="inspector",
        anyone=True,
        note="every user confirms his own second factor: no role needed",
    ),
]

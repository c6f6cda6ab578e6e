from typing import Any

from django import template

from inspectorate.audit.selectors import timeline_for
from inspectorate.audit.verbs import describe

register = template.Library()


@register.inclusion_tag("audit/timeline.html")
def timeline(obj: Any, limit: int = 50) -> dict[str, Any]:
    return {"events": list(timeline_for(obj)[:limit])}


@register.filter
def verb_words(verb: str) -> str | None:
    """`task.apply_sign_off` → "申请验收销号" (None when the verb has no words yet)."""
    return describe(verb)

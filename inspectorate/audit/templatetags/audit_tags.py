from typing import Any

from django import template

from inspectorate.audit.selectors import timeline_for

register = template.Library()


@register.inclusion_tag("audit/timeline.html")
def timeline(obj: Any, limit: int = 50) -> dict[str, Any]:
    return {"events": list(timeline_for(obj)[:limit])}

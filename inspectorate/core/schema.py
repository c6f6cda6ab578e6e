"""The API schema's AutoSchema: every operation gets a summary and a description, in the reader's language.

Set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"].  An explicit `@extend_schema(summary=…, description=…)` wins; otherwise

- the summary comes from the action and the model's verbose name ("List complaints", "Accept: complaint"), built from
  translated templates, so that the Chinese schema reads 列出投诉举报 rather than an English code;
- the description is the action's docstring (else the view's), passed through gettext so that a catalogue entry
  may translate it, else a sentence built from the same templates.

`tests/test_api_schema.py` walks the generated schema and fails on any operation without both.
"""

from __future__ import annotations

import inspect
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_noop as N_
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import get_doc, get_view_model

STANDARD_SUMMARIES = {
    "list": N_("List %(plural)s"),
    "retrieve": N_("Get one %(name)s"),
    "create": N_("Create a %(name)s"),
    "update": N_("Replace a %(name)s"),
    "partial_update": N_("Update a %(name)s"),
    "destroy": N_("Delete a %(name)s"),
}
STANDARD_DESCRIPTIONS = {
    "list": N_("The %(plural)s within your scope, filtered, sorted and paginated by the query parameters."),
    "retrieve": N_("One %(name)s by its id; one outside your scope answers 404."),
    "create": N_("Creates a %(name)s from the request body; invalid input answers 400 with field errors."),
    "update": N_("Replaces the fields of a %(name)s; invalid input answers 400 with field errors."),
    "partial_update": N_("Changes the given fields of a %(name)s; invalid input answers 400 with field errors."),
    "destroy": N_("Deletes a %(name)s."),
}


def _translated(text: str) -> str:
    """`text` through gettext: the catalogue's translation where it has one, else the text itself."""
    return gettext(text) if text else text


def _action_label(text: str) -> str:
    """A custom action's name in words, looked up in the "API operation" context (a bare word such as "Reply"
    means something else on a page)."""
    return pgettext("API operation", text)


class AutoSchema(SpectacularAutoSchema):
    def _action(self) -> str:
        view = self.view
        name = getattr(view, "action", None)
        if name:
            return str(name)
        if self.method.lower() == "get":
            return "retrieve" if "{" in self.path.rstrip("/").rsplit("/", 1)[-1] else "list"
        return self.method.lower()

    def _names(self) -> tuple[str, str]:
        """The verbose name and plural of the view's model (or, without a model, of the view)."""
        model = get_view_model(self.view, emit_warnings=False)
        if model is None:
            serializer = getattr(self.view, "serializer_class", None)
            model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None:
            return str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        label = getattr(self.view, "basename", None) or type(self.view).__name__.removesuffix("ViewSet").removesuffix("View")
        label = str(label).replace("-", " ").replace("_", " ").replace("/", " ").strip().lower()
        return label, label

    def _humanised_action(self, action: str) -> str:
        return capfirst(action.rstrip("_").replace("_", " ").replace("-", " "))

    def get_summary(self) -> str | None:
        explicit = super().get_summary()
        if explicit:
            return explicit
        name, plural = self._names()
        action = self._action()
        if action in STANDARD_SUMMARIES:
            return capfirst(gettext(STANDARD_SUMMARIES[action]) % {"name": name, "plural": plural})
        return gettext("%(action)s: %(name)s") % {"action": _action_label(self._humanised_action(action)), "name": name}

    def get_description(self) -> str:  # type: ignore[override]
        action_name = getattr(self.view, "action", None) or self.method.lower()
        action_or_method = getattr(self.view, action_name, None)
        action_doc = get_doc(action_or_method) if action_or_method is not None else ""
        if action_doc and not self._inherited_from_framework(action_or_method):
            return _translated(action_doc)
        name, plural = self._names()
        action = self._action()
        if action in STANDARD_DESCRIPTIONS:
            text = gettext(STANDARD_DESCRIPTIONS[action]) % {"name": name, "plural": plural}
        else:
            text = gettext("%(action)s (%(name)s).") % {"action": _action_label(self._humanised_action(action)), "name": name}
        view_doc = get_doc(type(self.view))
        return f"{text}\n\n{_translated(view_doc)}" if view_doc else text

    @staticmethod
    def _inherited_from_framework(fn: Any) -> bool:
        """True for a method whose docstring is DRF's or Django's own (get_doc skips those, but be sure)."""
        module = inspect.getmodule(fn)
        return bool(module and module.__name__.startswith(("rest_framework.", "django.")))

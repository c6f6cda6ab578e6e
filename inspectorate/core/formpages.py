"""Form pages shared by every app: the role check before a form is shown, the page that shows a form (with what
was typed and the errors next to their fields, HTTP 400 after a refused POST), and the save step of a form page.

A form page in any app reads::

    require_role(request, "interviews.manage")
    form = InterviewForm(request.POST or None, user=request.user)
    done = save_form(request, form, lambda data: actions.create_interview(actor=request.user, **data),
                     success=_("Interview scheduled."), then=lambda interview: interview.get_absolute_url())
    return done or form_page(request, form, _("New interview"), back=..., template="accountability/form.html")

The action raises `ValidationError` for a rule it enforces; `save_form` puts its messages on the form's fields
(`apply_errors`) and the page comes back. Each app's `form.html` extends `form_page.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from inspectorate.accounts.scoping import has_role_anywhere


def require_role(request: HttpRequest, action: str) -> None:
    """403 unless the user holds `action` somewhere (the object-level check comes with the object)."""
    if not has_role_anywhere(request.user, action):
        raise PermissionDenied(action)


def errors_text(exc: ValidationError) -> str:
    """A validation error as one line for a flash message."""
    if hasattr(exc, "error_dict"):
        return " ".join(str(m) for errs in exc.error_dict.values() for e in errs for m in e.messages)
    return " ".join(str(m) for m in exc.messages)


def apply_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show an action's ValidationError on the form: field errors where the form has the field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            field = (aliases or {}).get(key, key)
            for e in errors:
                for message in e.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_page(
    request: HttpRequest, form: Any, title: str, *, back: str, template: str, status: int | None = None, **extra: Any
) -> HttpResponse:
    """The form with its title and a way back; 400 when the form carries errors (a refused POST), else 200."""
    if status is None:
        status = 400 if form.errors else 200
    return render(request, template, {"form": form, "title": title, "back": back, **extra}, status=status)


def save_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    aliases: dict[str, str] | None = None,
) -> HttpResponse | None:
    """On a POST whose form is valid, `save(cleaned_data)`; when it succeeds, flash `success` and redirect to
    `then` (each a value or a function of what `save` returned). A `ValidationError` from `save` goes onto the
    form's fields (`aliases` maps the action's field names to the form's). None means: show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, aliases)
        return None
    messages.success(request, success(saved) if callable(success) else success)
    return redirect(then(saved) if callable(then) else then)

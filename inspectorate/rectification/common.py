"""Helpers shared by the rectification pages (views, form pages, registers): the project's form-page helpers
(`inspectorate.core.formpages`), with rectification's form template."""

from __future__ import annotations

from functools import partial

from inspectorate.core.formpages import apply_errors, errors_text, require_role
from inspectorate.core.formpages import form_page as _form_page

__all__ = ["apply_errors", "errors_text", "form_page", "require_role"]

form_page = partial(_form_page, template="rectification/form.html")

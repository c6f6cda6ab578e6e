"""Pages: create and edit a checklist template with its items (category, requirement, legal basis, weight,
photo required). Saving goes through `actions.create_checklist` / `actions.checklists.update_checklist`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.core.formpages import apply_errors
from inspectorate.orgs.models import OrgUnit
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .actions.checklists import ITEM_FIELDS, update_checklist
from .models import ChecklistItem, DangerCategory


class ChecklistForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=gettext_lazy("Owner unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner_unit"]
        else:
            self.fields["owner_unit"].queryset = owners  # type: ignore[attr-defined]


class ItemForm(forms.Form):
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=[("", "–"), *DangerCategory.choices])
    requirement = forms.CharField(label=gettext_lazy("Requirement"), max_length=500)
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False)
    weight = forms.IntegerField(label=gettext_lazy("Weight"), min_value=0, max_value=32767, initial=1)
    photo_required = forms.BooleanField(label=gettext_lazy("Photo required for every answer"), required=False)


ItemFormSet = forms.formset_factory(ItemForm, extra=3, can_delete=True, max_num=200)


def _rows(formset: Any) -> list[dict[str, Any]]:
    rows = []
    for f in formset.forms:
        data = f.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {k: data[k] for k in ITEM_FIELDS}
        if data.get("id"):
            row["id"] = data["id"]
        rows.append(row)
    return rows


@login_required
def checklist_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    """New checklist (pk None) or edit one; the whole checklist is saved at once or not at all."""
    user = request.user
    template = None
    if pk is not None:
        template = get_object_or_404(selectors.checklists_for(user).prefetch_related("items"), pk=pk)
        if not can(user, "selfcheck.manage", template.owner_unit):
            raise PermissionDenied("selfcheck.manage")
    elif not has_role_anywhere(user, "selfcheck.manage"):
        raise PermissionDenied("selfcheck.manage")
    owners = None if template else units_for(user, "selfcheck.manage").filter(kind="enterprise").select_related(None)
    initial = {"title": template.title, "description": template.description} if template else None
    form = ChecklistForm(request.POST or None, owners=owners, initial=initial)
    items: list[ChecklistItem] = list(template.items.all()) if template else []
    formset = ItemFormSet(
        request.POST or None,
        prefix="items",
        initial=[{"id": i.pk, **{k: getattr(i, k) for k in ITEM_FIELDS}} for i in items] or None,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            if template is None:
                rows = [{k: v for k, v in r.items() if k != "id"} for r in _rows(formset)]
                template = actions.create_checklist(
                    actor=user, owner_unit=data["owner_unit"], title=data["title"], description=data["description"],
                    items=rows,
                )  # fmt: skip
            else:
                update_checklist(template, actor=user, title=data["title"], description=data["description"], items=_rows(formset))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Checklist saved."))
            return HttpResponseRedirect(reverse("hazards:checklist", args=[template.pk]))
    back = reverse("hazards:checklist", args=[template.pk]) if template else reverse("hazards:self-inspections")
    return render(
        request,
        "hazards/checklist_form.html",
        {
            "form": form,
            "formset": formset,
            "checklist": template,
            "back": back,
            "title": _("Edit checklist") if template else _("New checklist"),
        },
        status=400 if request.method == "POST" else 200,
    )

"""Lists that work: one FilterSet per resource shared by the page and the API, and `ListPage` for the pages.

A resource's FilterSet subclasses `ListFilterSet`: it declares its filters, the text search (`q` over
`search_fields`), a whitelist of sortable columns (`sort` = `key` or `-key`, see `sort_filter`) and the
default order (overdue first where a row can be overdue).  The API's list and the page pass the same
query string through the same class, so they answer the same rows in the same order.

`ListPage` wraps one request for a page: the bound FilterSet, the page size (20/50/100), the page, the
column headers (sort links with `aria-sort`), the filter bar's widgets, the count and the "clear" link.
The templates `includes/list_*.html` draw it; every staff list uses them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.expressions import BaseExpression, OrderBy
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 20
# Parameters that are the page's own, not filters: they never count as "filtered" and are kept or reset by ListPage.
PAGE_PARAMS = ("page", "per_page", "sort")


def sort_filter(keys: Iterable[str]) -> django_filters.ChoiceFilter:
    """The `sort` parameter: a column key, or `-key` for descending; anything else is refused (API: 400)."""
    choices = [(v, v) for k in keys for v in (k, f"-{k}")]
    return django_filters.ChoiceFilter(choices=choices, method="keep", label=_("sort by"))


def by_id_or_code(qs: QuerySet, field: str, value: str, code_field: str = "code") -> QuerySet:
    """`field` given by primary key (a UUID) or by its code."""
    try:
        return qs.filter(**{f"{field}__pk": uuid.UUID(str(value))})
    except ValueError:
        return qs.filter(**{f"{field}__{code_field}": value})


def unit_subtree(qs: QuerySet, field: str, value: str) -> QuerySet:
    """Rows whose org unit `field` lies in the subtree of the unit given by id or code (none if unknown)."""
    from inspectorate.orgs.models import OrgUnit

    try:
        unit = OrgUnit.objects.filter(pk=uuid.UUID(str(value))).only("path").first()
    except ValueError:
        unit = OrgUnit.objects.filter(code=value).only("path").first()
    return qs.filter(**{f"{field}__path__startswith": unit.path}) if unit is not None else qs.none()


class ListFilterSet(django_filters.FilterSet):
    """Base of the list filters shared by a page and its API list: search, whitelisted sort, default order."""

    search_fields: ClassVar[Sequence[str]] = ()
    # Column key -> the order_by terms it sorts by (ascending); `-key` reverses them all.
    sort_fields: ClassVar[dict[str, Sequence[str | BaseExpression]]] = {}

    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    def keep(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs  # `sort` orders in filter_queryset, after every filter

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value or not self.search_fields:
            return qs
        match = Q()
        for f in self.search_fields:
            match |= Q(**{f"{f}__icontains": value})
        return qs.filter(match)

    def default_order(self) -> list[Any]:
        """The order without `sort` (overdue first where rows can be overdue); subclasses override."""
        return []

    def chosen_sort(self) -> str:
        data = getattr(self.form, "cleaned_data", None) or {}
        return str(data.get("sort") or "")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        qs = super().filter_queryset(queryset)
        key = self.chosen_sort()
        terms: list[Any]
        if key and key.lstrip("-") in self.sort_fields:
            terms = [_desc(t) if key.startswith("-") else _asc(t) for t in self.sort_fields[key.lstrip("-")]]
        else:
            terms = self.default_order()
        if not terms:
            return qs
        return qs.order_by(*terms, "pk")  # pk last: a stable order, so pages never repeat or skip a row


def _asc(term: str | BaseExpression) -> Any:
    return term.asc(nulls_last=True) if isinstance(term, BaseExpression) and not isinstance(term, OrderBy) else term


def _desc(term: str | BaseExpression) -> Any:
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    return term.desc(nulls_last=True)


@dataclass
class Column:
    label: Any
    key: str = ""  # sort key ('' = not sortable)
    css: str = ""


@dataclass
class Header:
    label: Any
    key: str
    url: str = ""
    aria_sort: str = ""
    css: str = ""


@dataclass
class Widget:
    """One control of the filter bar, as the include draws it."""

    name: str
    label: Any
    kind: str  # select | date | check | search | text | number
    value: str = ""
    options: list[tuple[str, Any, bool]] = field(default_factory=list)


class ListPage:
    """One request's list: `ListPage(request, CaseFilter, selectors.cases_for(user), columns=..., filters=...)`.

    `filters` names the FilterSet's filters shown in the bar, in order; `choices` gives a select's options
    where the filter itself takes free text (campaigns by code, regions by code).  Everything in the query
    string survives paging, sorting and a page-size change; "clear" keeps only the page size.
    """

    def __init__(
        self,
        request: HttpRequest,
        filterset_class: type[ListFilterSet],
        queryset: QuerySet,
        *,
        columns: Sequence[Column] = (),
        filters: Sequence[str] = (),
        choices: dict[str, Iterable[tuple[Any, Any]]] | None = None,
        labels: dict[str, Any] | None = None,
    ) -> None:
        self.request = request
        self.params: QueryDict = request.GET
        self.filterset = filterset_class(self.params, queryset=queryset, request=request)
        self.per_page = _page_size(self.params.get("per_page"))
        self.paginator = Paginator(self.filterset.qs, self.per_page)
        self.page: Page = self.paginator.get_page(self.params.get("page"))
        self.count = self.paginator.count
        self.sort = self.filterset.chosen_sort()
        self.columns = list(columns)
        self.filter_names = list(filters)
        self.choices = {k: list(v) for k, v in (choices or {}).items()}
        self.labels = labels or {}
        self.page_sizes = PAGE_SIZES

    # -- query strings --------------------------------------------------------------------------
    def url(self, drop: Iterable[str] = ("page",), **changes: Any) -> str:
        q = self.params.copy()
        for k in drop:
            q.pop(k, None)
        for k, v in changes.items():
            if v in (None, ""):
                q.pop(k, None)
            else:
                q[k] = str(v)
        encoded = q.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def filtered(self) -> bool:
        return any(v for k, vs in self.params.lists() if k not in PAGE_PARAMS for v in vs)

    @property
    def clear_url(self) -> str:
        return self.request.path + (f"?per_page={self.per_page}" if self.per_page != DEFAULT_PAGE_SIZE else "")

    @property
    def query(self) -> str:
        """The filters as a query string without page, page size and sort (for exports and the API)."""
        q = self.params.copy()
        for k in PAGE_PARAMS:
            q.pop(k, None)
        return q.urlencode()

    @property
    def first_url(self) -> str:
        return self.url()

    @property
    def prev_url(self) -> str:
        return self.url(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """Parameters the filter bar does not show but must carry (sort; filters set by a dashboard link)."""
        shown = set(self.filter_names) | {"q", "per_page", "page"}
        return [(k, v) for k, vs in self.params.lists() if k not in shown for v in vs if v]

    # -- headers and widgets --------------------------------------------------------------------
    @property
    def headers(self) -> list[Header]:
        out = []
        for col in self.columns:
            if not col.key or col.key not in self.filterset.sort_fields:
                out.append(Header(col.label, "", css=col.css))
                continue
            current = self.sort.lstrip("-") == col.key
            desc = self.sort.startswith("-")
            aria = ("descending" if desc else "ascending") if current else "none"
            nxt = col.key if (not current or desc) else f"-{col.key}"
            out.append(Header(col.label, col.key, url=self.url(sort=nxt), aria_sort=aria, css=col.css))
        return out

    @property
    def widgets(self) -> list[Widget]:
        form = self.filterset.form
        out = []
        for name in self.filter_names:
            bound = form[name]
            ff = bound.field
            raw = self.params.get(name, "")
            label = self.labels.get(name) or ff.label or name
            if name in self.choices:
                opts = [(str(v), lab, str(v) == raw) for v, lab in self.choices[name]]
                out.append(Widget(name, label, "select", raw, opts))
            elif isinstance(ff, forms.NullBooleanField):
                out.append(Widget(name, label, "check", raw))
            elif isinstance(ff, forms.ChoiceField):
                opts = [(str(v), lab, str(v) == raw) for v, lab in ff.choices if v not in ("", None)]  # type: ignore[misc,union-attr]
                out.append(Widget(name, label, "select", raw, opts))
            elif isinstance(ff, forms.DateField):
                out.append(Widget(name, label, "date", raw))
            elif isinstance(ff, forms.DecimalField | forms.IntegerField):
                out.append(Widget(name, label, "number", raw))
            else:
                out.append(Widget(name, label, "text", raw))
        return out

    def __iter__(self) -> Any:
        return iter(self.page)


def _page_size(raw: Any) -> int:
    try:
        n = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return n if n in PAGE_SIZES else DEFAULT_PAGE_SIZE

"""A list endpoint's query and answer, made from the list's declaration (dashboard.ui.lists.Table),
the one its page reads: the same filters (a value the page would ignore is a 400 here, saying
why), the same sort words and directions, the table's default page size, at most
DASHBOARD_API_PAGE_MAX rows a page, the marker of the next page.

    VOLUMES_QUERY = query(VOLUMES)  # once, at import


    @extend_schema(parameters=[VOLUMES_QUERY], responses={200: s.VolumePage, **errors(400)})
    @api_view(["GET"])
    def volume_list(request):
        page = fetch_page(VOLUMES_QUERY, request, lambda params: volumes.list_volumes(connection(request), params))
        return Response(page_body("volumes", page, [volume_json(v) for v in page.items]))
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from dashboard.cloud import CloudError
from dashboard.cloud.paging import ListParams, Page
from dashboard.ui.lists import Filter, Table

from .common import read


class FilterField(serializers.CharField):
    """One of the table's filters: its value cleaned as the page cleans it, refused when the page
    would not take it."""

    def __init__(self, spec: Filter, **kwargs):
        self.spec = spec
        kwargs.setdefault("help_text", str(spec.label))
        super().__init__(
            required=False,
            allow_blank=True,
            max_length=spec.max_length,
            default="",
            trim_whitespace=spec.strip,
            **kwargs,
        )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.spec.clean:
            value = self.spec.clean(value)
        problem = self.spec.problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class FilterChoiceField(serializers.ChoiceField):
    """A filter with a few values: its choices in the schema; cleaned as the page cleans it."""

    def __init__(self, spec: Filter, **kwargs):
        self.spec = spec
        choices = [value for value, _label in spec.choices or ()]
        kwargs.setdefault("help_text", str(spec.label))
        super().__init__(choices=choices, required=False, allow_blank=True, default="", **kwargs)

    def to_internal_value(self, data):
        value = str(data).strip()
        if self.spec.clean:
            value = self.spec.clean(value)
        return super().to_internal_value(value)


def query(table: Table) -> type[serializers.Serializer]:
    """The list endpoint's query serializer (and its OpenAPI parameters), from the declaration;
    made once, when the endpoint's module is imported. Its `table` is the declaration."""
    fields: dict[str, serializers.Field] = {
        f.name: FilterChoiceField(f) if f.choices is not None else FilterField(f) for f in table.filters
    }
    fields.update(
        sort=serializers.ChoiceField(
            choices=list(table.sorts), required=False, default=table.default_sort, help_text="the order of the rows"
        ),
        dir=serializers.ChoiceField(
            choices=["asc", "desc"], required=False, default=table.default_direction, help_text="ascending, descending"
        ),
        limit=serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=settings.API_PAGE_MAX,
            default=table.default_limit,
            help_text="rows a page (at most DASHBOARD_API_PAGE_MAX)",
        ),
        marker=serializers.RegexField(
            table.marker,
            required=False,
            allow_blank=True,
            default="",
            trim_whitespace=False,
            help_text="the next_marker of the previous page",
        ),
    )

    def validate_limit(self, value):
        if value > settings.API_PAGE_MAX:  # read now: the setting may differ from the schema's
            raise serializers.ValidationError(_("At most %(max)d rows per page.") % {"max": settings.API_PAGE_MAX})
        return value

    name = "".join(part.capitalize() for part in table.name.replace("-", "_").split("_")) + "Query"
    return type(name, (serializers.Serializer,), {**fields, "validate_limit": validate_limit, "table": table})


def params(query_class: type[serializers.Serializer], request) -> ListParams:
    """The request's list query, checked against the declaration (a ValidationError: 400)."""
    table: Table = query_class.table
    q = read(query_class, request.query_params)
    return ListParams(
        filters={f.name: q[f.name] for f in table.filters if q.get(f.name)},
        sort=q["sort"] or table.default_sort,
        direction=q["dir"] or table.default_direction,
        limit=q["limit"],
        marker=q["marker"],
    )


def page_body(key: str, page: Page, rows: list) -> dict:
    """The answer: the page's rows (already serialised) under the list's key, the next marker."""
    return {key: rows, "next_marker": page.next_marker or None}


def fetch_page(query_class: type[serializers.Serializer], request, fetch: Callable[[ListParams], Page]):
    """`fetch(params)` of the request's list query (checked: a ValidationError is a 400); a marker
    the service does not know (a row deleted since the previous page: Nova and Cinder answer 400,
    Glance 404) is a 400 saying so, as any bad input."""
    asked = params(query_class, request)
    try:
        return fetch(asked)
    except CloudError as err:
        if asked.marker and err.kind in ("not_found", "bad_request"):
            raise serializers.ValidationError(
                {"marker": [_("No row has this marker (it may have been deleted).")]}
            ) from None
        raise

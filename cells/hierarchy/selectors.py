"""Reads of the hierarchy, always scoped to a user: organizations, cells, committees, the tree browser.

A user sees the subtree of their profile's scope; superusers see everything; a login without a
scope sees nothing. Views never query these models except through here.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.utils import timezone

from cells.access.scope import cells_visible_to, organizations_visible_to, scope_of
from cells.models import CellType, CellTypeGroup, Member, Organization
from core import names
from core.history import AuditRow, audit_rows


def cell_types() -> QuerySet[CellType]:
    """Cell types are shared reference data, readable by every login."""
    return CellType.objects.select_related("group")


def cell_type_groups() -> QuerySet[CellTypeGroup]:
    return CellTypeGroup.objects.all()


class UnderPath(Lookup):
    """``lhs`` starts with the path ``rhs``, in a form PostgreSQL can answer from organization_path_idx.

    PostgreSQL turns ``path LIKE '/1/7/%'`` into a range scan of the varchar_pattern_ops index only
    when the pattern is a constant. In a correlated subquery the prefix is the outer row's path, and
    LIKE became a sequential scan of every organization per row (3 s for 12 children at 250,000
    nodes, scripts/bench_subtree.py). This writes out the range the planner would have derived, with
    the operators of varchar_pattern_ops: paths end with "/" and "0" sorts right after "/", so
    [prefix, prefix minus its last "/" + "0") holds exactly the paths that start with the prefix.
    Other databases get Django's own startswith.
    """

    lookup_name = "under_path"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return compiler.compile(StartsWith(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"({lhs} ~>=~ {rhs} AND {lhs} ~<~ (LEFT({rhs}, -1) || '0'))"
        return sql, (*lhs_params, *rhs_params, *lhs_params, *rhs_params)


def with_tree_counts(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate each node with its cells, members and direct children: three correlated subqueries.

    The subqueries match on the path prefix (an index range scan per node, see UnderPath), so the
    counts stay one query for the whole page. No count is an aggregate over a join: the outer query
    would then GROUP BY the subqueries and PostgreSQL would run them once per joined child row.
    """
    prefix = OuterRef("path")
    cells = Organization.objects.filter(UnderPath(F("path"), prefix), kind=Organization.Kind.CELL)
    # COUNT(cell_id), not COUNT(id): the member cell_id index alone answers it (an index-only scan).
    members = Member.objects.filter(UnderPath(F("cell__path"), prefix))
    children = Organization.objects.filter(parent=OuterRef("pk"))
    return organizations.annotate(
        cell_count=_subquery_count(cells),
        member_count=_subquery_count(members, "cell"),
        child_count=_subquery_count(children),
    )


def _subquery_count(queryset: QuerySet, field: str = "pk") -> Coalesce:
    counted = queryset.order_by().values(dummy=Value(1)).annotate(n=Count(field)).values("n")
    return Coalesce(Subquery(counted), 0)


# --- Browsing the hierarchy (tree, lists, detail pages) ----------------------------------------------
SEARCH_LIMIT = 50


def tree_roots_for(user) -> QuerySet[Organization]:
    """The top of what a user may browse: their scope node (every root for a superuser), with counts."""
    scope = scope_of(user)
    if scope.everything:
        return with_tree_counts(Organization.objects.roots())
    if scope.top is None:
        return Organization.objects.none()
    return with_tree_counts(Organization.objects.filter(pk=scope.top.pk))


def tree_children_for(user, parents) -> QuerySet[Organization]:
    """The direct children of visible nodes (a list or queryset), with counts, committees first."""
    children = organizations_visible_to(user).filter(parent__in=parents).select_related("cell_type")
    return with_tree_counts(children).order_by("-kind", "sort_key", "code")


def organizations_matching(user, text: str) -> QuerySet[Organization]:
    """Visible organizations whose code, name or (for a cell) parent's name holds every word of ``text``,
    ignoring case and diacritics (first SEARCH_LIMIT by position)."""
    if not names.search_words(text):
        return Organization.objects.none()
    matches = names.search(organizations_visible_to(user), text)
    return matches.order_by("path")[:SEARCH_LIMIT]


def visible_ancestors(user, organizations) -> dict[int, Organization]:
    """The visible ancestors of every given node, by pk, in one query (for breadcrumbs)."""
    ids = {pk for org in organizations for pk in org.ancestor_ids()}
    if not ids:
        return {}
    return {
        org.pk: org for org in organizations_visible_to(user).filter(pk__in=ids).only("code", "name", "label")
    }


def breadcrumb(organization: Organization, ancestors: dict[int, Organization]) -> list[Organization]:
    return [ancestors[pk] for pk in organization.ancestor_ids() if pk in ancestors]


def cells_for_list(user) -> QuerySet[Organization]:
    """Visible cells with their type, group, parent, member count and whether they are active today.

    The member count is a correlated subquery, not Count("members") over a join: with no GROUP BY,
    PostgreSQL counts members for the 50 rows of the page only, and the paginator's count() drops it.
    """
    today = timezone.localdate()
    active = Q(valid_from__isnull=True) | Q(valid_from__lte=today)
    active &= Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    return (
        cells_visible_to(user)
        .select_related("cell_type__group", "parent")
        .annotate(
            members_count=_subquery_count(Member.objects.filter(cell=OuterRef("pk")), "cell"),
            is_active=ExpressionWrapper(active, output_field=BooleanField()),
        )
        .order_by("sort_key", "code")
    )


def organization_detail_for(user) -> QuerySet[Organization]:
    """Visible organizations with what their detail page shows next to them."""
    return organizations_visible_to(user).select_related("parent", "cell_type__group", "successor")


HISTORY_LIMIT = 20


def organization_history(user, organization: Organization, *, limit: int = HISTORY_LIMIT) -> list[AuditRow]:
    """The latest changes to one visible organization, newest first: three queries whatever the size.

    Related organizations and cell types are named by code; organizations outside the user's subtree
    stay as their raw id.
    """

    def organization_codes(pks: set) -> dict:
        return dict(organizations_visible_to(user).filter(pk__in=pks).values_list("pk", "code"))

    def cell_type_codes(pks: set) -> dict:
        return dict(CellType.objects.filter(pk__in=pks).values_list("pk", "code"))

    return audit_rows(
        (Organization.history.filter(id=organization.pk), None),
        namers={Organization: organization_codes, CellType: cell_type_codes},
        limit=limit,
    )

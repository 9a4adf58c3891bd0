"""Landing pages: the role-based home, the executive dashboard, the PMO cockpit, my work.

A dashboard is a list of tiles: the core's own (below) and the duty apps' widgets from
the registry. The page renders every tile in the one request; each tile can be
fetched alone from ``core:dashboard_tile`` with the same filters, which htmx does when
the period or the unit changes or when the tile's refresh button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core import charts, formatting, roles, selectors
from pmo.core.models import ImportJob, OrgUnit, Project, ProjectMember, Stage
from pmo.core.permissions import deny
from pmo.core.registry import DashboardWidget, registry


@login_required
def home(request):
    """Send each user to the page their role works from."""
    user = request.user
    if roles.is_pmo(user):
        return redirect("core:cockpit")
    if roles.is_executive(user):
        return redirect("core:dashboard")
    return redirect("core:my_work")


@dataclass(frozen=True)
class Board:
    key: str
    title: object
    template: str
    url_name: str
    permission: str | None
    filtered: bool


BOARDS = {
    "executive": Board(
        "executive",
        gettext_lazy("Executive dashboard"),
        "core/dashboard_executive.html",
        "core:dashboard",
        "core.view_executive_dashboard",
        True,
    ),
    "pmo": Board(
        "pmo",
        gettext_lazy("PMO cockpit"),
        "core/dashboard_cockpit.html",
        "core:cockpit",
        "core.view_pmo_cockpit",
        False,
    ),
    "my": Board(
        "my", gettext_lazy("My work"), "core/dashboard_my.html", "core:my_work", None, False
    ),
}

LIST = 10


def _tile(key, board, label, name, order, width=6):
    return DashboardWidget(
        key=key,
        dashboard=board,
        label=label,
        render=f"pmo.core.views.dashboards.{name}",
        order=order,
        width=width,
    )


CORE_TILES = (
    _tile("kpis", "executive", gettext_lazy("Key figures"), "tile_kpis", 0, 12),
    _tile("health", "executive", gettext_lazy("Health of active projects"), "tile_health", 20, 4),
    _tile("money", "executive", gettext_lazy("Budget, spend and forecast (EAC) by unit"), "tile_money", 30, 7),
    _tile("stages", "executive", gettext_lazy("Projects by lifecycle stage"), "tile_stages", 61),
    _tile("attention", "executive", gettext_lazy("Needs attention: active projects off track or at risk"), "tile_attention", 70, 12),
    _tile("red", "pmo", gettext_lazy("Off track"), "tile_red", 1),
    _tile("stale", "pmo", gettext_lazy("Stale status: active projects without a report in 14 days"), "tile_stale", 2),
    _tile("waiting", "pmo", gettext_lazy("Proposals waiting for review or decision"), "tile_waiting", 40),
    _tile("quality", "pmo", gettext_lazy("Data quality of open projects"), "tile_quality", 90),
    _tile("my_projects", "my", gettext_lazy("Projects I manage"), "tile_my_projects", 1, 8),
    _tile("notifications", "my", gettext_lazy("Unread notifications"), "tile_notifications", 2, 4),
    _tile("memberships", "my", gettext_lazy("Projects I work on"), "tile_memberships", 3, 12),
)  # fmt: skip


def _tiles_for(board: str, user) -> list[DashboardWidget]:
    core = [t for t in CORE_TILES if t.dashboard == board]
    tiles = core + registry.widgets_for(board, user)
    return sorted(tiles, key=lambda t: (t.order, t.key))


def _filters(request, board: Board) -> dict:
    unit = None
    unit_id = request.GET.get("unit", "")
    if board.filtered and unit_id.isdigit():
        unit = OrgUnit.objects.filter(pk=unit_id).first()
    period = selectors.dashboard_period(request.GET.get("period"))
    query = {}
    if unit is not None:
        query["unit"] = unit.pk
    if board.filtered:
        query["period"] = period.key
    return {"unit": unit, "period": period, "board": board.key, "query": urlencode(query)}


def _render(request, board: Board, tile: DashboardWidget, filters: dict) -> dict:
    url = reverse("core:dashboard_tile", args=[board.key, tile.key])
    if filters["query"]:
        url = f"{url}?{filters['query']}"
    # Tiles render their own templates (escaped there), so their HTML is trusted here.
    html = mark_safe(tile.html(request, filters))  # noqa: S308
    return {"tile": tile, "html": html, "url": url, "board": board.key}


def _allowed(request, board: Board) -> None:
    if board.permission and not request.user.has_perm(board.permission):
        deny(request, board.permission)


def _page(request, board_key: str):
    board = BOARDS[board_key]
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _allowed(request, board)
    filters = _filters(request, board)
    tiles = [_render(request, board, t, filters) for t in _tiles_for(board.key, request.user)]
    context = {"board": board, "tiles": tiles, "filters": filters}
    if board.filtered:
        context["units"] = OrgUnit.objects.filter(depth__lte=1, is_active=True)
        context["periods"] = selectors.period_choices()
    return render(request, board.template, context)


def executive(request):
    return _page(request, "executive")


def cockpit(request):
    return _page(request, "pmo")


def my_work(request):
    return _page(request, "my")


def dashboard_tile(request, board: str, key: str):
    """One tile of a dashboard with the dashboard's filters: the tile alone for htmx, or
    a page holding it for a plain link."""
    spec = BOARDS.get(board)
    if spec is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _allowed(request, spec)
    tile = next((t for t in CORE_TILES if t.dashboard == board and t.key == key), None)
    if tile is None:
        tile = registry.widgets.get(key)
        if tile is None or tile.dashboard != board:
            raise Http404
        if not tile.visible_to(request.user):
            deny(request, f"tile {key}")
    filters = _filters(request, spec)
    context = {"t": _render(request, spec, tile, filters), "board": spec, "filters": filters}
    if request.htmx:
        return render(request, "core/partials/dashboard_tile.html", context)
    return render(request, "core/dashboard_tile.html", context)


# --- The core's tiles -------------------------------------------------------------------


def _projects(request, filters: dict):
    projects = Project.objects.visible_to(request.user)
    unit = filters.get("unit")
    if unit is not None:
        projects = projects.filter(org_unit__path__startswith=unit.path)
    return projects


def _register_url(filters: dict, **params) -> str:
    query = list(params.items())
    if filters.get("unit") is not None:
        query.append(("org_unit", filters["unit"].pk))
    return f"{reverse('core:project_list')}?{urlencode(query)}"


def _tile_html(request, name: str, context: dict) -> str:
    return render_to_string(f"core/partials/dashboard_{name}.html", context, request=request)


def tile_kpis(request, filters: dict) -> str:
    totals = selectors.portfolio_totals(_projects(request, filters))
    context = {
        "totals": totals,
        "over_budget": totals["forecast"] > totals["budget"] > 0,
        "active_url": _register_url(filters, stage="active"),
        "red_url": _register_url(filters, stage="active", health="red"),
        "amber_url": _register_url(filters, stage="active", health="amber"),
        "budget_url": _register_url(filters, stage="active", sort="-budget"),
        "period": filters["period"],
        "unit": filters.get("unit"),
    }
    return _tile_html(request, "kpis", context)


def tile_health(request, filters: dict) -> str:
    return _tile_html(
        request,
        "health",
        {
            "chart": charts.health_pie(selectors.health_counts(_projects(request, filters))),
            "click_base": _register_url(filters, stage="active") + "&health=",
        },
    )


def tile_money(request, filters: dict) -> str:
    """Budget, spend and forecast per unit one level below the filter; a click on a unit
    opens the dashboard filtered on it, so the executive drills down the tree."""
    unit = filters.get("unit")
    units = list(OrgUnit.objects.filter(is_active=True).order_by("path"))
    rows = selectors.money_by_child_unit(_projects(request, filters), unit, units)
    divisor, money_unit = formatting.chart_unit(request.LANGUAGE_CODE or "")
    chart = charts.bar(
        [r["unit"].label for r in rows],
        {
            _("Budget"): [round(float(r["budget"] / divisor), 1) for r in rows],
            _("Spend to date"): [round(float(r["spend"] / divisor), 1) for r in rows],
            _("Forecast (EAC)"): [round(float(r["forecast"] / divisor), 1) for r in rows],
        },
        keys=[r["unit"].pk for r in rows],
        value_name=money_unit,
    )
    query = {"period": filters["period"].key}
    for row in rows:
        row["over"] = row["forecast"] > row["budget"]
        row["drill_url"] = (
            f"{reverse('core:dashboard')}?{urlencode({**query, 'unit': row['unit'].pk})}"
        )
        row["register_url"] = (
            f"{reverse('core:project_list')}?stage=active&org_unit={row['unit'].pk}&sort=-budget"
        )
    parent = unit.parent if unit is not None and unit.parent_id else None
    context = {
        "chart": chart,
        "rows": rows,
        "unit": unit,
        "up_url": f"{reverse('core:dashboard')}?{urlencode({**query, **({'unit': parent.pk} if parent and parent.depth >= 1 else {})})}",
        "click_base": f"{reverse('core:dashboard')}?{urlencode(query)}&unit=",
    }
    return _tile_html(request, "money", context)


def tile_stages(request, filters: dict) -> str:
    stages = selectors.stage_counts(_projects(request, filters))
    chart = charts.bar(
        [label for _code, label, _n in stages],
        {_("Projects"): [n for _code, _label, n in stages]},
        keys=[code for code, _label, _n in stages],
    )
    return _tile_html(
        request, "stages", {"chart": chart, "click_base": _register_url(filters) + "&stage="}
    )


def tile_attention(request, filters: dict) -> str:
    projects = (
        _projects(request, filters)
        .filter(stage=Stage.ACTIVE, health__in=["red", "amber"])
        .with_people()
        .order_by("-health", "-classification", "code")
    )
    rows = list(projects[:LIST])
    return _tile_html(
        request,
        "attention",
        {"projects": rows, "url": _register_url(filters, stage="active", health="red")},
    )


def tile_red(request, filters: dict) -> str:
    projects = Project.objects.filter(stage=Stage.ACTIVE, health="red")
    return _tile_html(
        request,
        "red",
        {
            "projects": projects.with_people().order_by("code")[:LIST],
            "count": projects.count(),
            "url": f"{reverse('core:project_list')}?stage=active&health=red",
        },
    )


def tile_stale(request, filters: dict) -> str:
    stale = selectors.stale_projects(Project.objects.all())
    return _tile_html(
        request,
        "stale",
        {
            "projects": stale.with_people().order_by("last_status_date", "code")[:LIST],
            "count": stale.count(),
            "url": f"{reverse('core:project_list')}?stage=active&sort=status",
        },
    )


def tile_waiting(request, filters: dict) -> str:
    waiting = Project.objects.filter(stage__in=[Stage.PROPOSED, Stage.UNDER_REVIEW])
    return _tile_html(
        request,
        "waiting",
        {
            "projects": waiting.with_people().order_by("updated_at")[:LIST],
            "count": waiting.count(),
            "url": f"{reverse('core:project_list')}?stage=proposed&stage=under_review",
        },
    )


def tile_quality(request, filters: dict) -> str:
    quality = selectors.data_quality_problems(Project.objects.all())
    return _tile_html(
        request,
        "quality",
        {
            "quality": quality,
            "count": sum(quality.values()),
            "imports": ImportJob.objects.select_related("created_by")[:5],
            "url": f"{reverse('core:project_list')}?open_only=true&sort=code",
        },
    )


def tile_my_projects(request, filters: dict) -> str:
    pid = roles.person_id_of(request.user)
    managed = Project.objects.none()
    if pid is not None:
        managed = Project.objects.filter(manager_id=pid).open().with_people().order_by("code")
    return _tile_html(request, "my_projects", {"projects": managed})


def tile_notifications(request, filters: dict) -> str:
    unread = request.user.notifications.filter(read_at__isnull=True)
    return _tile_html(
        request,
        "notifications",
        {
            "notifications": unread[:8],
            "count": unread.count(),
            "notifications_url": reverse("core:notifications"),
        },
    )


def tile_memberships(request, filters: dict) -> str:
    pid = roles.person_id_of(request.user)
    memberships = ProjectMember.objects.none()
    if pid is not None:
        memberships = (
            ProjectMember.objects.filter(person_id=pid)
            .exclude(project__manager_id=pid)
            .exclude(project__stage__in=[Stage.CLOSED, Stage.CANCELLED, Stage.REJECTED])
            .select_related("project", "project__org_unit", "project__manager")
        )
    return _tile_html(request, "memberships", {"memberships": memberships})

"""The global search: every registered searchable model, grouped by kind."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from pmo.core.registry import registry

LIMIT = 20


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    groups = []
    if len(query) >= 1:
        for searchable in sorted(registry.searchables.values(), key=lambda s: s.order):
            hits = searchable.run(request.user, query, LIMIT)
            if hits:
                groups.append((searchable, hits))
    return TemplateResponse(
        request,
        "core/search.html",
        {"query": query, "groups": groups, "total": sum(len(h) for _s, h in groups)},
    )

"""The global search: the index of every app's records, ranked, with facets by kind;
searchables that are not indexed run their own search."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from pmo.core import search as index
from pmo.core.registry import registry

LIMIT = 20


@login_required
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    searchables = sorted(registry.searchables.values(), key=lambda s: (s.order, s.key))
    if kind not in registry.searchables:
        kind = ""
    chosen = [s for s in searchables if not kind or s.key == kind]
    groups, counts, capped = [], {}, False
    if query:
        found = index.find(request.user, query, [s.key for s in chosen if s.indexed], LIMIT)
        counts, capped = dict(found.counts), found.capped
        for searchable in chosen:
            if searchable.indexed:
                hits = found.hits.get(searchable.key, [])
            else:
                hits = searchable.run(request.user, query, LIMIT)
                counts[searchable.key] = len(hits)
            if hits:
                groups.append((searchable, hits))
    facets = [(s, counts.get(s.key, 0)) for s in searchables if counts.get(s.key)]
    return TemplateResponse(
        request,
        "core/search.html",
        {
            "query": query,
            "kind": kind,
            "groups": groups,
            "facets": facets,
            "total": sum(counts.values()),
            "capped": capped,
        },
    )

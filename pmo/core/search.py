"""The global search: an index of every app's records, kept current, ranked, filtered.

Apps register a ``Searchable`` with a ``model`` and a ``document`` function (see
``pmo.core.registry``); the core keeps one :class:`~pmo.core.models.SearchEntry` per
record, refreshed when the record is saved or deleted (the signal handlers below) and
rebuilt by ``manage.py search_rebuild`` or the ``search_rebuild`` Celery task.

On PostgreSQL a query is a ``tsquery`` of two-character pieces and words
(``pmo.core.searchtext``) answered from a GIN index and ranked with ``ts_rank``; on
SQLite (the embedded default) it falls back to ``icontains`` over the same entries.
Every query is filtered by who may open the record (the entry's access data), so no
one finds what they may not see. Searchables without a ``document`` keep their own
``search`` function, run at every query.

This module also holds the core's own documents: projects, people, organisational units.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core import roles, searchtext
from pmo.core.models import OrgUnit, Person, Project, SearchEntry
from pmo.core.registry import SearchDocument, SearchHit, registry

MAX_BODY = 4000
BATCH = 1000
CAP = 300


# --- keeping the index current ----------------------------------------------------------


def _entry(searchable, obj, doc: SearchDocument) -> SearchEntry:
    body = " ".join((doc.body or "").split())[:MAX_BODY]
    title = (doc.title or "")[:300]
    return SearchEntry(
        kind=searchable.key,
        object_id=obj.pk,
        title=title,
        body=body,
        url=doc.url[:300],
        access=doc.access,
        project_id=doc.project_id,
        owner_id=doc.owner_id,
        group=doc.group[:40],
        terms=searchtext.tsvector_literal(title, body) if _postgres() else "",
    )


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def index_object(obj) -> None:
    """Refresh (or drop) the entries of one record after it changed."""
    for searchable in registry.searchables_for_model(obj._meta.label):
        doc = searchable.describe(obj)
        existing = SearchEntry.objects.filter(kind=searchable.key, object_id=obj.pk)
        if doc is None:
            existing.delete()
            continue
        entry = _entry(searchable, obj, doc)
        values = {
            f.attname: getattr(entry, f.attname)
            for f in SearchEntry._meta.concrete_fields
            if f.attname not in ("id", "kind", "object_id", "vector", "updated_at")
        }
        values["updated_at"] = timezone.now()
        if not existing.update(**values):
            entry.save()


def index_objects(objs) -> None:
    """Refresh the entries of many records of one model at once, after a bulk write.

    ``bulk_create`` and ``bulk_update`` send no signals, so whoever writes in bulk calls
    this instead; it costs a few statements per thousand records.
    """
    objs = list(objs)
    if not objs:
        return
    ids = [obj.pk for obj in objs]
    for searchable in registry.searchables_for_model(objs[0]._meta.label):
        for start in range(0, len(ids), BATCH):
            SearchEntry.objects.filter(
                kind=searchable.key, object_id__in=ids[start : start + BATCH]
            ).delete()
        entries = []
        for obj in objs:
            doc = searchable.describe(obj)
            if doc is not None:
                entries.append(_entry(searchable, obj, doc))
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)


def remove_object(obj) -> None:
    keys = [s.key for s in registry.searchables_for_model(obj._meta.label)]
    if keys:
        SearchEntry.objects.filter(kind__in=keys, object_id=obj.pk).delete()


@receiver(post_save, dispatch_uid="pmo_search_index_save")
def _on_save(sender, instance, raw=False, **kwargs):
    if raw or not registry.searchables_for_model(sender._meta.label):
        return
    index_object(instance)


@receiver(post_delete, dispatch_uid="pmo_search_index_delete")
def _on_delete(sender, instance, **kwargs):
    if registry.searchables_for_model(sender._meta.label):
        remove_object(instance)


def rebuild(keys=None) -> int:
    """Rebuild the entries of the given searchable keys (all indexed ones by default)."""
    total = 0
    for searchable in registry.searchables.values():
        if not searchable.indexed or (keys and searchable.key not in keys):
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=searchable.key).delete()
            batch: list[SearchEntry] = []
            for obj in searchable.rows().iterator(chunk_size=BATCH):
                doc = searchable.describe(obj)
                if doc is not None:
                    batch.append(_entry(searchable, obj, doc))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
            SearchEntry.objects.bulk_create(batch)
            total += len(batch)
    return total


def seed_index(demo) -> None:
    """The last demo seeder: rows written in bulk by the others get their entries.

    Seeders write in bulk only new rows, so a kind whose entries are as many as its
    rows is already complete: only the others are rebuilt, and a second run of
    ``seed_demo`` (100,000 lessons at ``--scale 5000``) does not rewrite the index."""
    stale = [
        s.key
        for s in registry.searchables.values()
        if s.indexed and s.rows().count() != SearchEntry.objects.filter(kind=s.key).count()
    ]
    if stale:
        rebuild(stale)


# --- querying ---------------------------------------------------------------------------


@dataclass
class Found:
    """The hits of a query by kind (at most ``limit`` each) and the count of each kind."""

    hits: dict[str, list[SearchHit]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    capped: bool = False


def access_filter(user) -> Q | None:
    """Which entries the user may find (``None``: all of them)."""
    if roles.is_pmo(user):
        return None
    q = Q(access=SearchEntry.Access.ALL) | Q(owner_id=user.pk)
    if roles.sees_all_projects(user):
        q |= Q(access=SearchEntry.Access.PROJECT)
    else:
        q |= Q(
            access=SearchEntry.Access.PROJECT,
            project_id__in=Project.objects.visible_to(user).values("pk"),
        )
    groups = roles.group_names(user)
    if groups:
        q |= Q(access=SearchEntry.Access.RESTRICTED, group__in=sorted(groups))
    return q


def _text_filter(query: str) -> tuple[Q | RawSQL, RawSQL | None]:
    """The match condition and, on PostgreSQL, the rank expression."""
    literal = searchtext.tsquery_literal(query) if _postgres() else ""
    if literal:
        match = RawSQL(
            "core_searchentry.vector @@ %s::tsquery", [literal], output_field=models.BooleanField()
        )
        rank = RawSQL(
            "ts_rank(core_searchentry.vector, %s::tsquery)",
            [literal],
            output_field=models.FloatField(),
        )
        return match, rank
    q = Q()
    for part in searchtext.query_parts(query) or [query]:
        q &= Q(title__icontains=part) | Q(body__icontains=part)
    return q, None


def _candidates(entries) -> list[tuple[int, str]]:
    """The first ``CAP`` + 1 matches, read through the GIN index.

    For a common word the planner prefers a sequential scan that stops early, but that
    decompresses the text vector of every row it passes; the index's bitmap costs far
    less, so the sequential scan is turned off for this one statement.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        found = list(entries.values_list("pk", "kind")[: CAP + 1])
        cursor.execute("RESET enable_seqscan")
    return found


def find(user, query: str, kinds: list[str], limit: int) -> Found:
    """Ranked hits of the indexed kinds the user may open, with counts per kind.

    On PostgreSQL at most ``CAP`` matching entries are taken from the GIN index and
    ranked; beyond that the counts are lower bounds (``Found.capped``), which keeps a
    query for a common two-character word fast on a large index.
    """
    found = Found()
    if not kinds or not getattr(user, "is_authenticated", False):
        return found
    match, rank = _text_filter(query)
    entries = SearchEntry.objects.filter(kind__in=kinds).filter(match)
    allowed = access_filter(user)
    if allowed is not None:
        entries = entries.filter(allowed)
    if rank is not None:
        candidates = _candidates(entries)
        found.capped = len(candidates) > CAP
        candidates = candidates[:CAP]
        found.counts = dict(Counter(kind for _pk, kind in candidates))
        rows = SearchEntry.objects.filter(pk__in=[pk for pk, _kind in candidates]).annotate(
            rank=rank
        )
        ordering = [F("rank").desc(), F("updated_at").desc()]
    else:
        found.counts = dict(entries.values_list("kind").annotate(n=Count("pk")).order_by())
        rows = entries
        ordering = [F("updated_at").desc()]
    rows = (
        rows.only("kind", "title", "body", "url")
        .annotate(n=Window(RowNumber(), partition_by=[F("kind")], order_by=ordering))
        .filter(n__lte=limit)
    )
    labels = {key: registry.searchables[key].label for key in kinds}
    hits: dict[str, list] = defaultdict(list)
    for row in rows.order_by("kind", "n"):
        hits[row.kind].append(
            SearchHit(
                title=row.title,
                url=row.url,
                snippet=row.body[:160],
                kind=labels[row.kind],
                title_html=searchtext.highlight(row.title, query, width=300),
                snippet_html=searchtext.highlight(row.body, query, width=160),
            )
        )
    found.hits = dict(hits)
    return found


# --- the core's documents ---------------------------------------------------------------


def project_document(project: Project) -> SearchDocument:
    parts = [project.name_en, project.description, project.get_stage_display()]
    return SearchDocument(
        title=f"{project.code} {project.name}",
        url=project.get_absolute_url(),
        body=" · ".join(p for p in parts if p),
        access=SearchEntry.Access.PROJECT,
        project_id=project.pk,
    )


def person_document(person: Person) -> SearchDocument | None:
    if not person.is_active:
        return None
    parts = [person.name_en, person.employee_no, person.email, person.title]
    return SearchDocument(
        title=person.name, url=person.get_absolute_url(), body=" · ".join(p for p in parts if p)
    )


def org_unit_document(unit: OrgUnit) -> SearchDocument | None:
    if not unit.is_active:
        return None
    return SearchDocument(
        title=unit.name, url=unit.get_absolute_url(), body=" ".join([unit.name_en, unit.code])
    )


def kind_label(key: str) -> str:
    searchable = registry.searchables.get(key)
    return str(searchable.label) if searchable else _("Other")

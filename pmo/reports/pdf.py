"""Print a report to PDF with WeasyPrint, reading nothing but our own static files.

Report content can contain text typed by users (project names, notes). A stylesheet or
image URL in it must not make the renderer read the server's files or reach the
network, so the URL fetcher serves only files found by the static-file finders (and
inline ``data:`` URLs) and refuses everything else.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pmo.reports.content import ReportContent

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", sans-serif'


class ResourceRefused(ValueError):
    """A report asked for a resource that is not one of our static files."""


def document_base_url() -> str:
    """The URL that relative links in a report resolve against."""
    return settings.SITE_URL.rstrip("/") + "/"


def static_url_prefix() -> str:
    return urljoin(document_base_url(), settings.STATIC_URL)


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint fetcher that answers from ``static/`` and ``data:`` URLs only."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self._prefix = static_url_prefix()

    def static_path(self, url: str) -> Path:
        """The file behind a static URL, or ResourceRefused."""
        if not url.startswith(self._prefix):
            raise ResourceRefused(f"Not a static file of this site: {url[:200]}")
        relative = unquote(urlsplit(url[len(self._prefix) :]).path)
        relative = posixpath.normpath(relative)
        if relative.startswith(("/", "..")) or relative in ("", "."):
            raise ResourceRefused(f"Not a static file of this site: {url[:200]}")
        found = finders.find(relative)
        if not found:
            raise ResourceRefused(f"No such static file: {relative}")
        return Path(found)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_html(content: ReportContent, *, language: str, period_label: str = "") -> str:
    """The complete HTML document of a report, rendered in ``language``."""
    with translation.override(language):
        body = content.html or render_to_string(content.template, content.context)
        return render_to_string(
            "reports/pdf/document.html",
            {
                "content": content,
                "body": body,
                "period_label": period_label,
                "generated_at": timezone.localtime(),
                "font_family": FONT_FAMILY,
                "language": language,
            },
        )


def render_pdf(content: ReportContent, *, language: str, period_label: str = "") -> bytes:
    """Print a report's content to PDF bytes (slow: call it from a task)."""
    html = render_html(content, language=language, period_label=period_label)
    document = HTML(string=html, base_url=document_base_url(), url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()

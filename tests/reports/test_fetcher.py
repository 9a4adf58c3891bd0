"""The PDF renderer reads our static files and nothing else."""

import pytest
from weasyprint import HTML

from pmo.reports.pdf import ResourceRefused, StaticOnlyFetcher, document_base_url


@pytest.fixture
def fetcher(settings):
    settings.SITE_URL = "http://pmo.example.test"
    return StaticOnlyFetcher()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/",
        "https://example.com/static/css/reports.css",
        "http://pmo.example.test/reports/",
        "http://pmo.example.test/static/../../../etc/passwd",
        "http://pmo.example.test/static/%2e%2e/%2e%2e/etc/passwd",
        "http://pmo.example.test/static/no-such-file.css",
    ],
)
def test_fetcher_refuses_everything_but_static_files(fetcher, url):
    with pytest.raises(ResourceRefused):
        fetcher(url)


def test_fetcher_serves_a_static_file(fetcher):
    response = fetcher("http://pmo.example.test/static/css/reports.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_serves_data_urls(fetcher):
    response = fetcher("data:text/plain;base64,5pm65oWn5bel5Y6C")
    assert response.read().decode() == "智慧工厂"


def test_rendering_ignores_a_local_file_in_report_content(fetcher, settings):
    html = '<p>report</p><img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/x.css">'
    pdf = HTML(string=html, base_url=document_base_url(), url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert b"root:" not in pdf

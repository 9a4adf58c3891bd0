"""Import and export pages (being written)."""


def project_export(request):
    raise NotImplementedError


def import_start(request):
    raise NotImplementedError


def import_preview(request, pk):
    raise NotImplementedError


def import_template(request, kind):
    raise NotImplementedError

"""The archivist (档案管理员): a group of this app, beside the core's roles.

The PMO staff may act as archivists too; a company with a records office puts its
archivists in the ``archivist`` group (created by this app's migration 0003).
"""

from __future__ import annotations

from pmo.core import roles

ARCHIVIST = "archivist"


def is_archivist(user) -> bool:
    return roles.is_pmo(user) or ARCHIVIST in roles.group_names(user)

from django.urls import path

from pmo.core.views import (
    account,
    dashboards,
    imports,
    notifications,
    org,
    people,
    projects,
    search,
)

app_name = "core"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("dashboard/", dashboards.executive, name="dashboard"),
    path("cockpit/", dashboards.cockpit, name="cockpit"),
    path("my/", dashboards.my_work, name="my_work"),
    path("projects/", projects.project_list, name="project_list"),
    path("projects/export/", imports.project_export, name="project_export"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/stage/", projects.project_stage, name="project_stage"),
    path("projects/<int:pk>/tab/<slug:key>/", projects.project_tab, name="project_tab"),
    path("projects/<int:pk>/members/add/", projects.member_add, name="member_add"),
    path(
        "projects/<int:pk>/members/<int:member_pk>/remove/",
        projects.member_remove,
        name="member_remove",
    ),
    path("projects/<int:pk>/demand/add/", projects.demand_add, name="demand_add"),
    path(
        "projects/<int:pk>/demand/<int:demand_pk>/delete/",
        projects.demand_delete,
        name="demand_delete",
    ),
    path("people/", people.person_list, name="person_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("org/", org.orgunit_tree, name="orgunit_tree"),
    path("org/<int:pk>/", org.orgunit_detail, name="orgunit_detail"),
    path("import/", imports.import_start, name="import_start"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("import/template/<slug:kind>/", imports.import_template, name="import_template"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    path("search/", search.search, name="search"),
    path("account/", account.account, name="account"),
    path("account/language/", account.language, name="language"),
    path("security/events/", account.security_events, name="security_events"),
]

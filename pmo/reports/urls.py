from django.urls import path

from pmo.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/row/", views.run_row, name="run_row"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/preview/", views.run_preview, name="run_preview"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:code>/generate/", views.catalogue_generate, name="generate"),
    path("catalogue/<slug:code>/preview/", views.catalogue_preview, name="preview"),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/new/", views.subscription_create, name="subscription_create"),
    path("subscriptions/preview/", views.subscription_preview, name="subscription_preview"),
    path("subscriptions/<int:pk>/", views.subscription_edit, name="subscription_edit"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
    path("subscriptions/<int:pk>/send/", views.subscription_send, name="subscription_send"),
    path(
        "subscriptions/<int:pk>/deliveries/",
        views.subscription_deliveries,
        name="subscription_deliveries",
    ),
    path("deliveries/", views.delivery_log, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]

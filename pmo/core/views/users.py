"""User administration, for the system administrator: logins, roles, activation."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.core import audit, roles
from pmo.core.duty_forms import UserCreateForm, UserFilterForm, UserRolesForm
from pmo.core.forms import add_service_errors
from pmo.core.models import Person, UserSession
from pmo.core.permissions import require_perm

PERM = "core.manage_users"
PAGE_SIZE = 50


def _users():
    from django.contrib.auth.models import Group

    return (
        get_user_model()
        .objects.select_related("person")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("username", "pk")
    )


def _locked_names() -> set[str]:
    return {name for name in audit.locked_attempts().values_list("username", flat=True) if name}


def _filtered(form: UserFilterForm):
    qs = _users()
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["q"]:
        q = data["q"]
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(person__name__icontains=q)
        )
    if data["role"]:
        qs = qs.filter(groups__name=data["role"])
    if data["active"]:
        qs = qs.filter(is_active=data["active"] == "yes")
    if data["locked"]:
        qs = qs.filter(username__in=_locked_names())
    return qs


@require_perm(PERM)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    page = Paginator(_filtered(form), PAGE_SIZE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    names = [u.username for u in users]
    locked = set(
        audit.locked_attempts().filter(username__in=names).values_list("username", flat=True)
    )
    labels = roles.ROLE_LABELS
    for user in users:
        user.role_labels = [labels.get(g.name, g.name) for g in user.groups.all()]
        user.locked = user.username in locked
    template = "core/users/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, {"form": form, "page": page, "users": users})


@require_perm(PERM)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = audit.user_create(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password"],
                roles_=data["roles"],
                person=data["person"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The user %(name)s was created.") % {"name": user})
            return redirect("core:user_detail", pk=user.pk)
    status = 422 if form.errors else 200
    return TemplateResponse(request, "core/users/form.html", {"form": form}, status=status)


@require_perm(PERM)
def user_detail(request, pk: int):
    """The user's account: roles (changed by POST), state and signed-in sessions."""
    user = get_object_or_404(_users(), pk=pk)
    current = [g.name for g in user.groups.all()]
    form = UserRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            audit.user_roles_set(
                actor=request.user, user=user, roles_=form.cleaned_data["roles"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("core:user_detail", pk=user.pk)
    context = {
        "account": user,
        "form": form,
        "sessions": UserSession.objects.filter(user=user),
        "locked": user.username in _locked_names(),
        "person": Person.objects.filter(user=user).first(),
        "is_self": user.pk == request.user.pk,
    }
    status = 422 if form.errors else 200
    return TemplateResponse(request, "core/users/detail.html", context, status=status)


@require_POST
@require_perm(PERM)
def user_active(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        audit.user_active_set(actor=request.user, user=user, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("The user was activated."))
        else:
            messages.success(request, _("The user was deactivated; their sessions were ended."))
    return redirect("core:user_detail", pk=user.pk)

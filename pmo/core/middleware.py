"""Activate the signed-in user's preferred language."""

from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get("pmo_language")
            if language is None:
                from pmo.core.models import UserPreference

                language = (
                    UserPreference.objects.filter(user=user)
                    .values_list("language", flat=True)
                    .first()
                    or ""
                )
                request.session["pmo_language"] = language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

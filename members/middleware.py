"""The language of a signed-in person's pages is the one they chose, wherever they sign in."""

from django.utils import translation

from members.services import saved_language


class AccountLanguageMiddleware:
    """Activate the signed-in person's saved language, over the cookie and Accept-Language.

    It runs after AuthenticationMiddleware and after LocaleMiddleware, which has already chosen
    a language from the cookie or the browser; that choice stands for visitors and for people
    who saved none. The saved language comes with the user in the one query that loads them
    (MemberBackend), so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = saved_language(user) if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

"""The language of a request: Vietnamese unless the user picked another one with the switcher."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def language_from_cookie(request: HttpRequest) -> str:
    """The language chosen through set_language (its cookie), else LANGUAGE_CODE."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Django's LocaleMiddleware without the browser's Accept-Language (and without i18n_patterns).

    Many users here run browsers and phones set to English; the product is Vietnamese first, so a
    page is Vietnamese until the user presses EN, and stays in the language they chose.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_from_cookie(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The page varies with the language cookie, not with Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

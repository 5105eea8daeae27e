"""reverse() remembered: a page draws tens of links (the menu, each row's record) and Django's
reverse() walks the URL patterns each time; the same name and arguments give the same address
for as long as the process runs (the patterns are fixed), under the same script prefix and URL
configuration, which are part of the key. Only plain arguments (text, whole numbers) are
remembered: anything else (a model instance, whose text may change) is reversed each time."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.safestring import SafeString

# Exactly these types (a bool is an int that would share 1's key; a template's literal is a SafeString).
PLAIN = (str, int, SafeString)


def reverse(viewname, args=None, kwargs=None, current_app=None) -> str:
    args, kwargs = tuple(args or ()), kwargs or {}
    if not isinstance(viewname, str) or not all(type(value) in PLAIN for value in (*args, *kwargs.values())):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(viewname, args, tuple(sorted(kwargs.items())), current_app, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=16384)
def _reverse(viewname, args, kwargs, current_app, prefix, urlconf) -> str:
    return django_reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app)


def _forget(*, setting, **kwargs) -> None:
    # A test that swaps the URL configuration swaps every address (Django clears its own caches too).
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


setting_changed.connect(_forget)

"""Remembered addresses (jigsaw.core.reversing) are Django's own, whatever the prefix or arguments."""

from django.template import engines
from django.urls import reverse as django_reverse
from django.urls import set_script_prefix

from jigsaw.core import reversing


def test_a_remembered_address_is_djangos_under_each_script_prefix():
    try:
        for prefix in ("/", "/jigsaw/", "/"):
            set_script_prefix(prefix)
            for name, args in (("core:partnership", ["durham"]), ("actions:detail", ["durham", 5])):
                assert reversing.reverse(name, args=args) == django_reverse(name, args=args)
            assert reversing.reverse("core:partnership", args=["durham"]).startswith(prefix)
    finally:
        set_script_prefix("/")


def test_the_url_tag_gives_djangos_addresses_and_keeps_its_as_form():
    template = engines["django"].from_string(
        "{% url 'core:partnership' 'durham' %}|{% url 'actions:detail' slug 7 as link %}{{ link }}|"
        "{% url 'no-such-page' as missing %}[{{ missing }}]"
    )
    assert template.render({"slug": "north-east"}) == (
        f"{django_reverse('core:partnership', args=['durham'])}|{django_reverse('actions:detail', args=['north-east', 7])}|[]"
    )


def test_only_plain_arguments_are_remembered():
    class Named:  # what a record's text would be: it may change, so it is reversed each time
        text = "first"

        def __str__(self):
            return self.text

    named = Named()
    assert reversing.reverse("core:partnership", args=[named]).endswith("/first/")
    named.text = "second"
    assert reversing.reverse("core:partnership", args=[named]).endswith("/second/")
    reversing.reverse("core:partnership", args=[1])
    assert reversing.reverse("core:partnership", args=[True]) == django_reverse("core:partnership", args=[True])

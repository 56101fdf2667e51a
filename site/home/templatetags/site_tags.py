from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale, Page, Site

from forum_workflows.permissions import hide_closed_pages

register = template.Library()


def _translated_url(request, page, language_code):
    """The same page in another language, or that language's home when it has no translation."""
    if isinstance(page, Page):
        locale = Locale.objects.filter(language_code=language_code).first()
        translation = page.get_translation_or_none(locale) if locale else None
        if translation is not None and translation.live:
            return translation.get_url(request)
        return f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)


@register.inclusion_tag("home/tags/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links that open the current page in each of the other site languages."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": _translated_url(request, page, code)}
        )
    return {"links": links}


@register.inclusion_tag("home/tags/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page's children marked "show in menus", in the active language (members-only
    ones for those who may open them)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    home = site.root_page.localized
    current = context.get("page")
    items = [
        {
            "title": child.title,
            "url": child.get_url(request),
            "current": current is not None and current.path.startswith(child.path),
        }
        for child in hide_closed_pages(home.get_children().live().public().in_menu(), request.user)
    ]
    return {"items": items}


@register.inclusion_tag("home/tags/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The way from the home page down to the current page, for pages below the top level."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 3:
        return {"ancestors": []}
    request = context.get("request")
    ancestors = page.get_ancestors().filter(depth__gte=2)
    return {
        "ancestors": [{"title": p.title, "url": p.get_url(request)} for p in ancestors],
        "page": page,
    }

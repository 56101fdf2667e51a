"""The skeleton every installation needs: locales, a home page per language, the Site, the root
collection of images and documents.

Used by the demo data and by tests that run after a database flush (DESIGN.md §8), so both
build the same tree. Safe to call again: it only creates what is missing.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

HOME_CONTENT = {
    "sv": {
        "title": "Värdeforum",
        "slug": "hem",
        "intro": (
            "Värdeforum är ett förbättringsprogram för idéburna vård- och omsorgsgivare. "
            "Förbättringsteam arbetar steg för steg med ett eget förbättringsarbete, "
            "med stöd av en förbättringscoach."
        ),
    },
    "en": {
        "title": "Forum for Values",
        "slug": "home",
        "intro": (
            "Forum for Values is an improvement program for non-profit health and social care "
            "providers. Improvement teams work step by step on their own improvement project, "
            "supported by an improvement coach."
        ),
    },
}


@transaction.atomic
def ensure_site_tree():
    """Create what is missing of the locales, home pages and default Site; return the homes."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        title="Root", slug="root", locale=locales["sv"]
    )
    default = settings.LANGUAGE_CODE
    home = HomePage.objects.filter(locale=locales[default], depth=2).first()
    if home is None:
        _remove_wagtail_welcome_page(root)
        home = root.add_child(instance=HomePage(locale=locales[default], **HOME_CONTENT[default]))
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "root_page": home,
            "hostname": "localhost",
            "port": 80,
            "site_name": "Värdeforum",
        },
    )
    homes = {default: home}
    for code, locale in locales.items():
        if code == default:
            continue
        translation = home.get_translation_or_none(locale)
        if translation is None:
            translation = home.copy_for_translation(locale)
            for field, value in HOME_CONTENT.get(code, {}).items():
                setattr(translation, field, value)
            translation.save_revision().publish()
        # Reloaded: publishing moved the URL path (new slug) in the database, not in this object.
        homes[code] = HomePage.objects.get(pk=translation.pk)
    return homes


def _remove_wagtail_welcome_page(root):
    """Wagtail's first migration adds a plain "Welcome" page; a HomePage takes its place."""
    for page in root.get_children():
        if page.specific_class is Page:
            Site.objects.filter(root_page=page).delete()
            page.delete()

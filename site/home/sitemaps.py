from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from forum_workflows.permissions import hide_closed_pages


class AllLanguagesSitemap(Sitemap):
    """Every live, public page of the site in every language, not only the default one;
    members-only pages are left out (search engines are nobody's members)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key)
        in_a_tree = reduce(or_, (Q(path__startswith=page.path) for page in roots))
        pages = Page.objects.filter(in_a_tree).live().public()
        return (
            hide_closed_pages(pages, AnonymousUser())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

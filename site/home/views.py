"""Site search: live, public pages in the language of the URL; members-only pages only for
those who may open them."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from forum_workflows.permissions import hide_closed_pages

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search_terms(query):
    """The words of a query: quotes and other operators would break the search backend's SQL."""
    return " ".join(re.findall(r"\w+", query))


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    results = Page.objects.none()
    if terms:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).exclude(depth=1)
        results = hide_closed_pages(pages, request.user).search(terms)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_of_results = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page_of_results = paginator.page(1)
    return TemplateResponse(
        request,
        "home/search.html",
        {"query": query, "results": page_of_results, "paginator": paginator},
    )

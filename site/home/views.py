"""Site search: live, public pages in the language of the URL."""

import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

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
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .exclude(depth=1)
            .search(terms)
        )
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

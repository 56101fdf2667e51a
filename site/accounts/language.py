from django.conf import settings
from wagtail.users.models import UserProfile


def chosen_language(user):
    """The site language a person picked in their profile, or None if they have not picked one."""
    language = (
        UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    )
    return language if language in dict(settings.LANGUAGES) else None


def preferred_language(user):
    """The person's chosen language, else the site's default (Swedish).

    Mail, PDFs and anything else read outside the person's own request use this, never the
    language of whoever triggered it.
    """
    return chosen_language(user) or settings.LANGUAGE_CODE

from django.conf import settings
from wagtail.users.models import UserProfile


def preferred_language(user):
    """The language a person chose in their profile, else the site's default (Swedish).

    Mail, PDFs and anything else read outside the person's own request use this, never the
    language of whoever triggered it.
    """
    language = (
        UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    )
    available = {code for code, _name in settings.LANGUAGES}
    return language if language in available else settings.LANGUAGE_CODE

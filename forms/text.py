"""Texts a form definition holds in Swedish (required) and English (optional)."""

FALLBACK_LANGUAGE = "sv"


def localized(texts, language):
    """The text in ``language``, falling back to Swedish; ``""`` when there is none."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE) or ""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """These tests quote the engine's English messages; Swedish is checked where it matters."""
    with translation.override("en"):
        yield

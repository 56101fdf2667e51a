import os
import shutil

import pytest

#: Debian's Chromium; browsers cannot be downloaded on these machines.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread, while the test's own ORM calls
    # (and the database set-up) stay synchronous. Subprocess tests drop the variable again.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    # bypass_csp lets the axe-core script in; the site's own scripts still meet the policy.
    return {**browser_context_args, "viewport": viewport, "bypass_csp": True}


@pytest.fixture
def server(live_server, transactional_db):
    """The live site with its page tree; a flush between tests removes Wagtail's root page."""
    from home.site_tree import ensure_site_tree

    ensure_site_tree()
    return live_server

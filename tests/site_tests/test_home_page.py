"""The home page: one per language, at the top of the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage


class HomePageRulesTests(WagtailPageTestCase):
    def test_a_home_page_sits_under_the_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_the_home_page_renders_its_intro(self):
        from home.site_tree import ensure_site_tree

        home = ensure_site_tree()["sv"]
        self.assertPageIsRenderable(home)
        response = self.client.get(home.url)
        self.assertContains(response, home.intro)
        self.assertContains(response, '<a class="skip-link" href="#main">Till innehållet</a>')
        self.assertContains(response, '<main id="main"')

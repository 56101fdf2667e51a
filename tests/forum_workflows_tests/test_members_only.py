"""Members-only content: pages and documents only a program's people may open, kept out of
search, the sitemap and the menu for everyone else."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, Locale

from forum_workflows.models import MembersOnlyArea, StandardPage, Team
from forum_workflows.permissions import can

from .factories import make_document
from .people import make_cast

pytestmark = pytest.mark.django_db

MAY_OPEN = ("member", "lead", "coach", "faculty", "manager")
MAY_NOT = (
    "former_member",
    "other_manager",
    "sponsor",
    "contact",
)


def _publish(parent, **kwargs):
    page = StandardPage(**kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def content(site_tree, make_user):
    """A public page; a members-only page of the cast's program with a page below it; the
    same in English; and a members-only collection with a sub-collection, a document in each."""
    cast = make_cast(make_user)
    home = site_tree["sv"]
    public = _publish(home, title="Om programmet", slug="om", show_in_menus=True)
    materials = _publish(home, title="Material för deltagare", slug="material", show_in_menus=True)
    below = _publish(materials, title="Presentationer seminarium ett", slug="presentationer")
    MembersOnlyArea.objects.create(program=cast.program, page=materials)
    english = materials.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Seminariematerial")
    MembersOnlyArea.objects.create(program=cast.program, collection=collection)
    return {
        "cast": cast,
        "public": public,
        "materials": materials,
        "below": below,
        "english": english,
        "document": make_document(collection=collection),
        "deep_document": make_document(collection=collection.add_child(name="Seminarium 1")),
        "open_document": make_document(collection=root),
    }


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", MAY_OPEN)
def test_the_programs_people_open_its_pages_and_documents(client, content, role):
    client.force_login(content["cast"].people[role])
    for page in ("materials", "below", "english"):
        assert client.get(content[page].url).status_code == 200
    for document in ("document", "deep_document"):
        assert client.get(content[document].url).status_code == 200


@pytest.mark.parametrize("role", MAY_NOT)
def test_others_get_a_page_that_names_the_program(client, content, role):
    """Sponsors, contacts, former members and other programs' people are refused with a 403
    that names the program; the pages below and the translation are closed too."""
    client.force_login(content["cast"].people[role])
    for page in ("materials", "below", "english"):
        response = client.get(content[page].url)
        assert response.status_code == 403
        assert "Värdeforum 2026" in response.content.decode()
        assert "Presentationer" not in response.content.decode()
    for document in ("document", "deep_document"):
        assert client.get(content[document].url).status_code == 403
    assert client.get(content["open_document"].url).status_code == 200


def test_signed_out_people_are_asked_to_sign_in_first(client, content):
    for url in (content["materials"].url, content["below"].url, content["document"].url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sv/accounts/login/?next=")
    assert client.get(content["public"].url).status_code == 200


def test_a_member_of_a_team_that_left_the_program_is_refused(client, content):
    team = content["cast"].team
    team.status = Team.Status.LEFT
    team.save()
    client.force_login(content["cast"].people["member"])
    assert client.get(content["materials"].url).status_code == 403


def test_editors_who_may_edit_the_page_open_it(client, content):
    """So an editor can check what they published."""
    client.force_login(content["cast"].people["editor"])
    assert client.get(content["materials"].url).status_code == 200


def test_the_permissions_module_answers_for_a_program(content):
    people, program = content["cast"].people, content["cast"].program
    assert can(people["member"], "read_materials", program)
    assert not can(people["sponsor"], "read_materials", program)
    assert not can(people["other_manager"], "read_materials", program)


def _search(client, query):
    return [result.title for result in client.get("/sv/search/", {"q": query}).context["results"]]


def test_search_finds_members_only_pages_only_for_those_who_may_open_them(client, content):
    assert _search(client, "Presentationer") == []
    client.force_login(content["cast"].people["sponsor"])
    assert _search(client, "Presentationer") == []
    client.force_login(content["cast"].people["member"])
    assert _search(client, "Presentationer") == ["Presentationer seminarium ett"]


def test_the_sitemap_leaves_members_only_pages_out_whoever_asks(client, content):
    client.force_login(content["cast"].people["member"])
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/sv/om/" in sitemap
    assert "/material/" not in sitemap
    assert "/presentationer/" not in sitemap


def test_the_menu_shows_members_only_pages_to_those_who_may_open_them(client, content):
    def menu():
        return [item["title"] for item in client.get("/sv/").context["items"]]

    assert "Material för deltagare" not in menu()
    client.force_login(content["cast"].people["coach"])
    assert "Material för deltagare" in menu()


def test_an_area_is_a_page_or_a_collection_never_both_or_neither(content):
    program = content["cast"].program
    area = MembersOnlyArea(program=program)
    with pytest.raises(ValidationError):
        area.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()
    area.page = content["public"]
    area.collection = Collection.get_first_root_node()
    with pytest.raises(ValidationError):
        area.full_clean()


def test_a_program_with_members_only_content_is_not_deleted(content):
    with pytest.raises(ProtectedError):
        content["cast"].program.delete()


def test_search_and_pages_cost_the_same_queries_with_one_area_and_with_thirty(
    client, content, django_assert_num_queries
):
    program, home = content["cast"].program, content["public"].get_parent()
    client.force_login(content["cast"].people["sponsor"])
    urls = ("/sv/search/?q=Presentationer", content["public"].url, content["below"].url)
    for url in urls:
        client.get(url)  # warm the session and the site's caches

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result.append(len(queries))
        return result

    few = counts()
    for number in range(30):
        page = _publish(home, title=f"Område {number}", slug=f"omrade-{number}")
        MembersOnlyArea.objects.create(program=program, page=page)
    assert counts() == few
    with django_assert_num_queries(few[0]):
        client.get(urls[0])


ADD_URL = "/admin/snippets/forum_workflows/membersonlyarea/add/"


def test_an_editor_makes_a_page_members_only_in_the_admin(client, content):
    client.force_login(content["cast"].people["editor"])
    response = client.post(
        ADD_URL, {"program": content["cast"].program.pk, "page": content["public"].pk}
    )
    assert response.status_code == 302
    assert MembersOnlyArea.objects.get(page=content["public"]).program == content["cast"].program
    client.force_login(content["cast"].people["sponsor"])
    assert client.get(content["public"].url).status_code == 403


def test_an_area_without_a_page_or_collection_is_refused_with_a_message(client, content):
    client.force_login(content["cast"].people["editor"])
    before = MembersOnlyArea.objects.count()
    response = client.post(ADD_URL, {"program": content["cast"].program.pk})
    assert "Välj en sida eller en dokumentsamling" in response.content.decode()
    assert MembersOnlyArea.objects.count() == before


def test_programme_managers_do_not_decide_what_is_members_only(client, content):
    client.force_login(content["cast"].people["manager"])
    response = client.post(
        ADD_URL, {"program": content["cast"].program.pk, "page": content["public"].pk}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not MembersOnlyArea.objects.filter(page=content["public"]).exists()

"""Attaching a photo from a phone or a laptop on the try-out page; checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.forms_tests import files
from tests.forms_tests.factories import block, make_definition

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Ett-bra-l0senord"


@pytest.fixture
def photo_form(server, make_user, settings):
    settings.FORUM_FORMS_MAX_REQUEST_MB = 2
    make_user(email="pm@example.org", password=PASSWORD, is_staff=True, is_superuser=True)
    return make_definition(
        block("file", "photos", "Foton av tavlan", multiple=True, max_files=3, max_mb=1,
              kinds=["image", "pdf"]),
        block("short_text", "caption", "Vad visar bilderna?",
              show_if={"field": "photos", "op": "not_empty", "value": ""}),
        slug="foton",
    )  # fmt: skip


def test_attach_photos_on_the_try_out_page(server, photo_form, page, tmp_path):
    page.goto(f"{server.url}/sv/accounts/login/")
    page.get_by_label("E-postadress").fill("pm@example.org")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{server.url}/sv/forms/foton/try/")

    chooser = page.get_by_label("Foton av tavlan")
    caption = page.get_by_label("Vad visar bilderna?")
    expect(chooser).to_have_attribute("accept", "image/jpeg,.jpg,.jpeg,.jpe,.jfif,image/png,"
                                      ".png,image/heic,.heic,.heif,.hif,application/pdf,.pdf,"
                                      "image/heif")  # fmt: skip
    expect(caption).to_be_hidden()
    assert_accessible(page)

    # Too large: the page says so at once, before anything is sent.
    big = tmp_path / "stor.jpg"
    big.write_bytes(files.jpeg_with_location() + b"\0" * (1024 * 1024))
    chooser.set_input_files(str(big))
    warning = page.locator("#id_photos_size_warning")
    expect(warning).to_have_text(
        "stor.jpg är större än 1,0 MB och kommer inte att tas emot. Välj en mindre fil."
    )
    expect(caption).to_be_visible()  # a file is chosen: the condition is met
    assert_accessible(page)

    # Together over the request cap (2 MB here): said before sending too.
    total = page.locator("#request-size-warning")
    expect(total).to_be_hidden()
    chooser.set_input_files([str(big), str(big)])
    expect(total).to_contain_text("tillsammans")
    expect(total).to_be_visible()

    # A disguised file is refused by the server with a message naming it.
    disguised = tmp_path / "tavla.jpg"
    disguised.write_bytes(files.SVG_WITH_SCRIPT)
    chooser.set_input_files(str(disguised))
    expect(warning).to_be_hidden()
    page.get_by_role("button", name="Kontrollera svaren").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("tavla.jpg kan inte bifogas")
    assert_accessible(page)

    good = tmp_path / "tavla.jpg"
    good.write_bytes(files.jpeg_with_location())
    page.get_by_label("Foton av tavlan").set_input_files(str(good))
    page.get_by_label("Vad visar bilderna?").fill("Processkartan efter mötet")
    page.get_by_role("button", name="Kontrollera svaren").click()
    read_only = page.locator("#read-only")
    expect(read_only).to_contain_text("tavla.jpg")
    expect(read_only).to_contain_text("Processkartan efter mötet")
    assert_accessible(page)

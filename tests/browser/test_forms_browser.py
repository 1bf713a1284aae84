"""Forms that offer only what works, in a real browser, in English and in French: the create volume
form shows the picker of the chosen source alone; a refused extend says what to do with Cinder's
text as a detail; making a container public asks first with its public URL; the copy buttons put
the temporary URL and the one-time API key on the clipboard; the SSH preset fills the rule's
protocol and ports where they can be seen."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.helpers import ARTIFACTS, browser_login, made_volume, unique

pytestmark = pytest.mark.browser

LOCALES = {"en": "en-US", "fr": "fr-FR"}
SOURCES = ("image", "snapshot", "volume", "backup")


@pytest.fixture(params=["en", "fr"])
def speaking(request, chromium, zenith_url):
    """A browser in English, then in French (its Accept-Language), logged in as demo in project demo."""
    language = request.param
    context = chromium.new_context(
        base_url=zenith_url,
        viewport={"width": 1400, "height": 900},
        locale=LOCALES[language],
        extra_http_headers={"Accept-Language": f"{LOCALES[language]},{language};q=0.9"},
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # the shared cloud is slow under load
    ARTIFACTS.mkdir(exist_ok=True)
    browser_login(page, "demo", project="demo")
    yield language, page
    context.close()


def _shot(page, name: str, language: str) -> None:
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"forms-{name}-{language}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def test_create_volume_shows_the_picker_of_the_chosen_source_only(speaking):
    language, page = speaking
    page.goto("/project/volumes/create/")
    pickers = {source: page.locator(f"#div_id_{source}") for source in SOURCES}
    for picker in pickers.values():  # an empty volume: no source to pick
        expect(picker).to_be_hidden()
    for source in SOURCES:
        page.select_option("#id_source", source)
        expect(pickers[source]).to_be_visible()
        for other in SOURCES:
            if other != source:
                expect(pickers[other]).to_be_hidden()
        _shot(page, f"volume-create-{source}", language)
    page.select_option("#id_source", "blank")
    for picker in pickers.values():
        expect(picker).to_be_hidden()
    types = page.locator("#id_volume_type option").all_inner_texts()
    assert "__DEFAULT__" not in types and len([t for t in types if t.strip()]) == len(set(types))


def test_a_refused_extend_says_what_to_do_and_keeps_cinders_text(speaking, demo_sdk, cleanup):
    language, page = speaking
    vol = made_volume(demo_sdk, cleanup, size=1)
    quota = demo_sdk.block_storage.get_quota_set(demo_sdk.current_project_id).gigabytes
    page.goto(f"/project/volumes/{vol.id}/extend/")
    page.fill("#id_new_size", str(quota + 7))
    page.click("#action-form [type=submit]")
    alert = page.locator(".alert-danger")
    sentence = {"en": "Choose a smaller size", "fr": "Choisissez une taille plus petite"}[language]
    expect(alert).to_contain_text(sentence)
    said = page.get_by_test_id("cloud-said")  # Cinder's own words, as it wrote them, in smaller type
    expect(said).to_contain_text(f"Requested {quota + 6}G")
    expect(page.locator("#id_new_size")).to_have_value(str(quota + 7))
    _shot(page, "volume-extend-refused", language)


def test_make_public_asks_first_showing_the_public_url(speaking, demo_sdk, cleanup):
    language, page = speaking
    name = unique("zt-pub")
    demo_sdk.object_store.create_container(name)
    cleanup.add(lambda: demo_sdk.object_store.delete_container(name))
    page.goto(f"/project/containers/c/{quote(name, safe='')}/")
    page.locator("#container-actions [data-action=make_public]").click()
    page.wait_for_url(re.compile(r"/public/$"))
    url = page.locator("#id_public_url")
    expect(url).to_have_value(re.compile(rf"^http.*/{re.escape(quote(name, safe=''))}$"))
    assert demo_sdk.object_store.get_container_metadata(name).read_ACL in (None, "")  # nothing changed yet
    _shot(page, "container-make-public", language)
    page.click("#make-public-form [type=submit]")
    expect(page.get_by_test_id("public-badge")).to_be_visible()
    assert ".r:*" in demo_sdk.object_store.get_container_metadata(name).read_ACL


def test_copy_buttons_put_the_temporary_url_and_the_api_key_on_the_clipboard(page, zenith_url, demo_sdk, cleanup):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=zenith_url)
    browser_login(page, "demo", project="demo")
    name = unique("zt-copy")
    demo_sdk.object_store.create_container(name)
    demo_sdk.object_store.upload_object(name, "a.txt", data=b"copied")

    def drop():
        demo_sdk.object_store.delete_object("a.txt", container=name)
        demo_sdk.object_store.delete_container(name)

    cleanup.add(drop)
    page.goto(f"/project/containers/c/{quote(name, safe='')}/object/share/?name=a.txt")
    page.click("#share-form [type=submit]")
    url = page.get_by_test_id("temp-url").input_value()
    button = page.get_by_test_id("copy-temp-url")
    button.click()
    expect(button).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == url
    _shot(page, "temp-url-copied", "en")

    page.goto("/auth/keys/")
    key_name = unique("zt-ckey")
    page.fill("#id_name", key_name)
    page.click("#api-key-form [type=submit]")
    key = page.locator("#new-api-key").inner_text().strip()
    page.get_by_test_id("copy-new-api-key").click()
    expect(page.get_by_test_id("copy-new-api-key")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == key
    _shot(page, "api-key-copied", "en")
    page.once("dialog", lambda d: d.accept())
    page.get_by_test_id(f"revoke-{key_name}").click()
    expect(page.locator(f"#api-keys tr:has-text('{key_name}')")).to_have_count(0)


def test_the_ssh_preset_fills_protocol_and_ports_visibly(page, demo_sdk, cleanup):
    browser_login(page, "demo", project="demo")
    group = demo_sdk.network.create_security_group(name=unique("zt-ssh"))
    cleanup.add(lambda: demo_sdk.network.delete_security_group(group.id))
    page.goto(f"/project/security-groups/{group.id}/add_rule/")
    page.select_option("#id_preset", "ssh")
    expect(page.locator("#id_protocol")).to_have_value("tcp")
    expect(page.locator("#id_port_range_min")).to_have_value("22")
    expect(page.locator("#id_port_range_max")).to_have_value("22")
    _shot(page, "rule-ssh-preset", "en")
    page.fill("#id_port_range_min", "2222")  # edited: a custom rule now, what is shown is what is added
    page.locator("#id_port_range_min").dispatch_event("change")
    expect(page.locator("#id_preset")).to_have_value("")
    page.select_option("#id_preset", "ssh")
    page.click("#action-form [type=submit]")
    page.wait_for_url(re.compile(rf"/security-groups/{group.id}/$"))
    rules = [r for r in demo_sdk.network.security_group_rules(security_group_id=group.id) if r.direction == "ingress"]
    assert [(r.protocol, r.port_range_min, r.port_range_max) for r in rules] == [("tcp", 22, 22)]


def test_a_pasted_over_long_name_is_not_cut_but_refused_with_its_limit(speaking, demo_sdk):
    language, page = speaking
    name = "zt-long-" + "n" * 292
    page.goto("/project/volumes/create/")
    page.fill("#id_name", name)
    expect(page.locator("#id_name")).to_have_value(name)  # the browser kept all 300 characters
    page.click("#volume-create-form [type=submit]")
    message = {"en": "This has 300 characters; at most 255", "fr": "Ce texte a 300 caractères ; 255 au plus"}[language]
    expect(page.locator("#div_id_name .invalid-feedback")).to_contain_text(message)
    expect(page.locator("#id_name")).to_have_value(name)
    assert not [v for v in demo_sdk.block_storage.volumes() if (v.name or "").startswith("zt-long-")]
    _shot(page, "volume-name-too-long", language)


def test_a_bulk_action_asks_its_own_whole_question(speaking, demo_sdk, cleanup):
    language, page = speaking
    vol = made_volume(demo_sdk, cleanup, size=1)
    page.goto("/project/volumes/")
    page.locator(f"#volume-{vol.id} input.row-select").check()
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()  # nothing is deleted

    page.once("dialog", answer)
    page.get_by_test_id("bulk-delete").click()
    expected = {
        "en": "Delete the selected volumes? This cannot be undone.",
        "fr": "Supprimer les volumes sélectionnés ? C’est irréversible.",
    }[language]
    expect(page.locator(f"#volume-{vol.id}")).to_be_visible()
    assert questions == [expected]
    assert demo_sdk.block_storage.get_volume(vol.id).status == "available"

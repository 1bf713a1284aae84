"""The instances list's source cell: a short id on the page while the names part is pending, the
name (or the id in full) from the part and a live row; the part pairs rows with their sources."""

from django.template.loader import render_to_string

from dashboard.cloud import images, volumes
from dashboard.cloud.instances import Instance, named_sources
from dashboard.cloud.volumes import Attachment, Volume

SRV = "11111111-1111-1111-1111-111111111111"
IMG = "22222222-2222-2222-2222-222222222222"
VOL = "33333333-3333-3333-3333-333333333333"
ROOT = "44444444-4444-4444-4444-444444444444"


def cell(server: Instance, **context) -> str:
    return render_to_string("instances/_list_source.html", {"server": server, **context}).strip()


def test_the_page_shows_the_image_by_short_id_with_a_loading_text():
    html = cell(Instance(id=SRV, name="web", status="ACTIVE", image_id=IMG), names_pending=True)
    assert f'id="instance-source-{SRV}"' in html and "hx-swap-oob" not in html
    assert f">{IMG[:8]}</span>" in html and "(image name loading)" in html


def test_the_page_shows_a_volume_booted_rows_first_volume_by_short_id():
    html = cell(Instance(id=SRV, name="web", status="ACTIVE", volume_ids=[VOL]), names_pending=True)
    assert "volume:" in html and f">{VOL[:8]}</span>" in html and "(volume name loading)" in html


def test_the_part_swaps_in_the_name_or_the_id_in_full():
    named = cell(Instance(id=SRV, name="", status="", image_id=IMG, image_name="cirros"), oob=True)
    assert 'hx-swap-oob="true"' in named and f'<span title="{IMG}">cirros</span>' in named
    unnamed = cell(Instance(id=SRV, name="", status="", image_id=IMG), oob=True)
    assert f'<span title="{IMG}">{IMG[:23]}…</span>' in unnamed and "loading" not in unnamed
    nothing = cell(Instance(id=SRV, name="", status=""), oob=True)
    assert ">—</td>" in nothing


def test_the_part_names_each_rows_image_and_its_boot_volume(monkeypatch):
    monkeypatch.setattr(images, "image_names", lambda conn, ids: {IMG: "cirros"} if IMG in ids else {})
    root = Volume(id=ROOT, name="root-disk", attachments=[Attachment(SRV, "/dev/vda", "a1")])
    data = Volume(id=VOL, name="data", attachments=[Attachment(SRV, "/dev/vdb", "a2")])
    monkeypatch.setattr(volumes, "project_volumes", lambda conn: [data, root])
    other = "55555555-5555-5555-5555-555555555555"
    by_id = {s.id: s for s in named_sources(None, [(other, IMG)], [(SRV, VOL), (SRV, ROOT)])}
    assert (by_id[other].image_id, by_id[other].image_name) == (IMG, "cirros")
    assert (by_id[SRV].boot_volume_id, by_id[SRV].boot_volume_name) == (ROOT, "root-disk")

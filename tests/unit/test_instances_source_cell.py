"""The instances list's source cell: the image's or boot volume's name, the id when the cloud has
none (a failing names call, an image gone); the rows are named from the page's reads beside Nova's
page (instances.name_sources), as a live row is from its own."""

from dashboard.cloud import CloudError
from dashboard.cloud.instances import Instance, name_sources
from dashboard.cloud.volumes import Attachment, Volume
from dashboard.panels.instances.lists import INSTANCES
from dashboard.ui.lists import cell_macros

SRV = "11111111-1111-1111-1111-111111111111"
IMG = "22222222-2222-2222-2222-222222222222"
VOL = "33333333-3333-3333-3333-333333333333"
ROOT = "44444444-4444-4444-4444-444444444444"


def cell(server: Instance) -> str:
    return str(cell_macros(INSTANCES)["source"]({"obj": server})).strip()


def test_the_cell_shows_the_name_or_the_id():
    named = cell(Instance(id=SRV, name="", status="", image_id=IMG, image_name="cirros"))
    assert f'id="instance-source-{SRV}"' in named and f'<span title="{IMG}">cirros</span>' in named
    unnamed = cell(Instance(id=SRV, name="", status="", image_id=IMG))
    assert f'<span title="{IMG}">{IMG[:23]}…</span>' in unnamed
    nothing = cell(Instance(id=SRV, name="", status=""))
    assert nothing.endswith(">—</span>")


def test_each_rows_image_and_boot_volume_are_named_from_the_pages_reads():
    root = Volume(id=ROOT, name="root-disk", attachments=[Attachment(SRV, "/dev/vda", "a1")])
    data = Volume(id=VOL, name="data", attachments=[Attachment(SRV, "/dev/vdb", "a2")])
    other = "55555555-5555-5555-5555-555555555555"
    from_image = Instance(id=other, name="", status="", image_id=IMG)
    from_volume = Instance(id=SRV, name="", status="", volume_ids=[VOL, ROOT])
    by_id = name_sources([from_image, from_volume], {IMG: "cirros"}, [data, root])
    assert set(by_id) == {VOL, ROOT}
    assert (from_image.image_id, from_image.image_name) == (IMG, "cirros")
    assert (from_volume.boot_volume_id, from_volume.boot_volume_name) == (ROOT, "root-disk")
    assert "volume:" in cell(from_volume) and ">root-disk</span>" in cell(from_volume)


def test_failed_names_calls_leave_the_ids():
    failed = CloudError("unavailable", "Glance is down")
    from_image = Instance(id=SRV, name="", status="", image_id=IMG)
    from_volume = Instance(id=ROOT, name="", status="", volume_ids=[VOL])
    assert name_sources([from_image, from_volume], failed, None) == {}
    assert from_image.image_name == "" and f'title="{IMG}">{IMG[:23]}…' in cell(from_image)
    assert (from_volume.boot_volume_id, from_volume.boot_volume_name) == (VOL, "")
    assert f'title="{VOL}">{VOL[:23]}…' in cell(from_volume)

"""The volumes panel's forms: sizes, sources, metadata lines (pure validation, no cloud)."""

from types import SimpleNamespace

from dashboard.panels.volumes import forms


def create(data, **choices):
    base = {"name": "v", "source": "blank", "size": "1"}
    return forms.CreateVolumeForm({**base, **data}, **choices)


def test_sizes_below_one_are_refused():
    for size in ("0", "-1", "x", ""):
        assert "size" in create({"size": size}).errors, size


def test_a_source_must_be_chosen_and_fit():
    snap = SimpleNamespace(id="s1", label="s1", size=5)
    assert "snapshot" in create({"source": "snapshot"}, snapshots=[snap]).errors
    form = create({"source": "snapshot", "snapshot": "s1", "size": "2"}, snapshots=[snap])
    assert "size" in form.errors
    assert create({"source": "snapshot", "snapshot": "s1", "size": "5"}, snapshots=[snap]).is_valid()


def test_extend_only_grows():
    assert "new_size" in forms.ExtendForm({"new_size": "3"}, current=3).errors
    assert forms.ExtendForm({"new_size": "4"}, current=3).is_valid()


def test_metadata_lines():
    assert forms.parse_metadata("a=1\n\n b = two ") == {"a": "1", "b": "two"}
    form = forms.MetadataForm({"metadata": "novalue"})
    assert not form.is_valid() and "key=value" in str(form.errors)
    form = forms.MetadataForm({"metadata": "a=1\na=2"})
    assert not form.is_valid() and "appears twice" in str(form.errors)


def test_accept_form_wants_a_transfer_id():
    assert "transfer_id" in forms.AcceptTransferForm({"transfer_id": "<x>", "auth_key": "k"}).errors

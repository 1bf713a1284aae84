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


def test_each_source_picker_is_shown_only_while_its_source_is_chosen():
    form = create({"source": "image"})
    assert form.shown_by("image") == {"by": "source", "shown_for": "image", "hidden": False}
    assert all(form.shown_by(other)["hidden"] for other in ("snapshot", "volume", "backup"))
    blank = forms.CreateVolumeForm()  # a new form: the initial source, an empty volume, shows none
    assert all(blank.shown_by(source)["hidden"] for source in ("image", "snapshot", "volume", "backup"))
    assert blank.shown_by("name") is None


def test_the_type_list_offers_the_default_type_once():
    types = [SimpleNamespace(name="__DEFAULT__"), SimpleNamespace(name="lvm")]
    choices = forms.CreateVolumeForm(types=types).fields["volume_type"].choices
    assert [value for value, _label in choices] == ["", "lvm"]


def test_an_over_long_name_is_refused_with_a_message_and_kept():
    form = create({"name": "n" * 300, "description": "d" * 256})
    assert form.errors["name"] == ["This has 300 characters; at most 255 are allowed here. Shorten it."]
    assert "description" in form.errors
    assert form["name"].value() == "n" * 300  # what was typed comes back whole
    assert "maxlength" not in str(form["name"])  # the browser does not cut it silently

"""The form builder refuses forms whose answers would collide or whose conditions point nowhere."""

import pytest
from wagtail.blocks.stream_block import StreamBlockValidationError

from portal.eservices.blocks import OnlineFormBlock
from portal.eservices.models import ServicePage


def field(key, kind="text", **extra):
    return {"type": kind, "value": {"key": key, "label": key.title(), "required": True, **extra}}


def step(key, *fields, **extra):
    return {
        "type": "step",
        "value": {"key": key, "title": key.title(), "fields": list(fields), **extra},
    }


def clean(*steps):
    block = OnlineFormBlock()
    return block.clean(block.to_python(list(steps)))


def errors_of(exc):
    """{(step, field or None, name): message} from the nested block errors."""
    found = {}
    for step_index, step_error in exc.block_errors.items():
        for name, error in step_error.block_errors.items():
            if name == "fields":
                for field_index, field_error in error.block_errors.items():
                    for fname, ferror in field_error.block_errors.items():
                        found[(step_index, field_index, fname)] = ferror.messages[0]
            else:
                found[(step_index, None, name)] = error.messages[0]
    return found


@pytest.mark.django_db
def test_every_demo_form_is_valid(es_demo):
    pages = [p for p in ServicePage.objects.all() if p.online_form]
    assert pages
    for page in pages:
        field_ = ServicePage._meta.get_field("online_form")
        field_.stream_block.clean(page.online_form)


def test_a_key_used_twice_is_shown_on_the_second_field(db):
    with pytest.raises(StreamBlockValidationError) as info:
        clean(
            step("nguoi_yeu_cau", field("ho_ten"), field("so_dien_thoai", "phone")),
            step("giay_to", field("ghi_chu"), field("ho_ten")),
        )
    errors = errors_of(info.value)
    assert errors == {(1, 1, "key"): "Một trường khác của biểu mẫu đã dùng mã “ho_ten”."}
    assert info.value.non_block_errors.as_data()[0].messages == [
        "Một số mã hoặc điều kiện của biểu mẫu cần sửa."
    ]


def test_a_step_key_used_twice_is_refused(db):
    with pytest.raises(StreamBlockValidationError) as info:
        clean(step("buoc_mot", field("a")), step("buoc_mot", field("b")))
    assert errors_of(info.value) == {(1, None, "key"): "Một bước khác đã dùng mã “buoc_mot”."}


def test_conditions_must_name_a_field_asked_before(db):
    with pytest.raises(StreamBlockValidationError) as info:
        clean(
            step(
                "mot",
                field("co_con", "yesno"),
                field("so_con", condition_field="co_con", condition_value="yes"),
                field("ten_vo", condition_field="ket_hon"),
            ),
            step("hai", field("ket_hon", "yesno"), condition_field="khong_co"),
        )
    errors = errors_of(info.value)
    assert set(errors) == {(0, 2, "condition_field"), (1, None, "condition_field")}
    assert "“ket_hon”" in errors[(0, 2, "condition_field")]


def test_a_condition_value_must_be_an_answer_of_its_field(db):
    status = field("tinh_trang", "choice", choices=["Độc thân", "Đã kết hôn", "Đã ly hôn"])
    with pytest.raises(StreamBlockValidationError) as info:
        clean(
            step(
                "mot",
                status,
                field("co_con", "yesno"),
                field("ban_an", condition_field="tinh_trang", condition_value="Đã li hôn"),
                field("so_con", condition_field="co_con", condition_value="Có"),
            ),
            step("hai", field("ghi_chu"), condition_field="tinh_trang", condition_value="Góa"),
        )
    errors = errors_of(info.value)
    assert set(errors) == {
        (0, 2, "condition_value"),
        (0, 3, "condition_value"),
        (1, None, "condition_value"),
    }
    assert errors[(0, 2, "condition_value")] == (
        "“Đã li hôn” không phải là một câu trả lời của “tinh_trang”. "
        "Chọn một trong: “Độc thân”, “Đã kết hôn”, “Đã ly hôn”."
    )
    assert "“yes”, “no”" in errors[(0, 3, "condition_value")]
    # The answers as they are, an empty value (any answer) and a free-text field's value pass.
    clean(
        step(
            "mot",
            status,
            field("co_con", "yesno"),
            field("ho_ten"),
            field("ban_an", condition_field="tinh_trang", condition_value="Đã ly hôn"),
            field("so_con", condition_field="co_con", condition_value="yes"),
            field("ghi_chu", condition_field="tinh_trang"),
            field("bi_danh", condition_field="ho_ten", condition_value="Lan"),
        )
    )


def test_step_keys_may_have_hyphens_but_not_the_wizards_own(db):
    clean(step("nguoi-yeu-cau", field("ho_ten")))
    with pytest.raises(StreamBlockValidationError) as info:
        clean(step("kiem-tra", field("ho_ten")))
    assert "“kiem-tra”" in errors_of(info.value)[(0, None, "key")]


def test_every_step_and_question_reaches_the_editor_with_its_own_id(db):
    """Each folds on its own in the editor: a stored form without ids (the questions inside a
    step keep none until the page is saved from the editor) gets them, and stored ids stay."""
    block = OnlineFormBlock()
    second = {**step("hai", field("c")), "id": "buoc-hai"}
    state = block.get_form_state(block.to_python([step("mot", field("a"), field("b")), second]))
    ids = [s["id"] for s in state] + [f["id"] for s in state for f in s["value"]["fields"]]
    assert len(ids) == 5 and all(ids) and len(set(ids)) == 5
    assert state[1]["id"] == "buoc-hai"


@pytest.mark.django_db
def test_the_longest_demo_form_reaches_the_editor_with_an_id_on_every_question(es_demo):
    page = max(
        (p for p in ServicePage.objects.all() if p.online_form),
        key=lambda p: sum(len(s.value["fields"]) for s in p.online_form),
    )
    field_ = ServicePage._meta.get_field("online_form")
    state = field_.stream_block.get_form_state(page.online_form)
    ids = [f["id"] for s in state for f in s["value"]["fields"]]
    assert len(ids) == 16 and len(set(ids)) == 16 and all(ids)

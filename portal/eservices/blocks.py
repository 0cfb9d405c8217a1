"""StreamField blocks of the procedure page: the national database structure and the form builder.

The form builder stores steps of typed fields; ``portal.eservices.schema`` turns them into a plain
JSON schema that is frozen with each dossier (``FormVersion``).
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from .validation import NUMBER_LIMIT, NUMBER_MAX_DECIMAL_PLACES

KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)
# Step keys are in the form's addresses (/dich-vu-cong/nop/<procedure>/<step>/): hyphens too.
STEP_KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_-]{0,39}$",
    _("Use lower-case letters, digits, hyphens and underscores, starting with a letter."),
)
# Steps the wizard (portal.eservices.wizard) adds itself.
REVIEW_STEP, DONE_STEP = "kiem-tra", "hoan-thanh"
RESERVED_STEP_KEYS = (REVIEW_STEP, DONE_STEP)


# --- The procedure as the national database describes it ------------------------------------
CHANNELS = [
    ("online", _("Online")),
    ("in_person", _("In person")),
    ("post", _("By public post")),
]


class MethodBlock(blocks.StructBlock):
    """One way to file (cách thức thực hiện) with its processing time and fee."""

    channel = blocks.ChoiceBlock(choices=CHANNELS, label=_("channel"))
    processing_time = blocks.CharBlock(label=_("processing time"))
    fee = blocks.CharBlock(
        label=_("fees and charges"),
        required=False,
        help_text=_("Shown when no fee amount (under Time, fees and result) applies to this way."),
    )
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Method")


class DocumentItemBlock(blocks.StructBlock):
    """A document of the dossier (giấy tờ) with its original and copy counts."""

    name = blocks.CharBlock(label=_("document name"))
    originals = blocks.IntegerBlock(label=_("originals"), min_value=0, default=1)
    copies = blocks.IntegerBlock(label=_("copies"), min_value=0, default=0)
    template = DocumentChooserBlock(label=_("form template"), required=False)
    note = blocks.CharBlock(label=_("note"), required=False)


class DossierCaseBlock(blocks.StructBlock):
    """A case (trường hợp) with the documents it needs."""

    case = blocks.CharBlock(label=_("case"), required=False)
    documents = blocks.ListBlock(DocumentItemBlock(), label=_("documents in the dossier"))

    class Meta:
        icon = "doc-full"
        label = _("Dossier components")


class FeeBlock(blocks.StructBlock):
    """A fee or charge (phí, lệ phí) as an amount: what the citizen pays, not where to look."""

    name = blocks.CharBlock(
        label=_("fee"), help_text=_("e.g. Lệ phí cấp Giấy xác nhận tình trạng hôn nhân")
    )
    amount = blocks.IntegerBlock(
        label=_("amount (đồng)"), min_value=0, help_text=_("0 means free of charge.")
    )
    per = blocks.CharBlock(
        label=_("per"), required=False, max_length=40, help_text=_("e.g. bản, giấy phép, lần")
    )
    channels = blocks.MultipleChoiceBlock(
        choices=CHANNELS,
        required=False,
        label=_("applies to"),
        help_text=_("The ways of filing this amount applies to. None ticked: every way."),
    )
    payer = blocks.CharBlock(label=_("who pays"), required=False, max_length=200)
    exemptions = blocks.TextBlock(label=_("exemptions and reductions"), required=False)
    resolution = blocks.CharBlock(
        label=_("set by (number and symbol)"),
        required=False,
        max_length=60,
        help_text=_(
            "e.g. 176/2021/NQ-HĐND: linked to the directives register when it has this number."
        ),
    )

    class Meta:
        icon = "tag"
        label = _("Fee")


class LegalBasisBlock(blocks.StructBlock):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    number = blocks.CharBlock(label=_("number and symbol"), help_text=_("e.g. 123/2015/NĐ-CP"))
    title = blocks.CharBlock(label=_("document summary"))
    issuer = blocks.CharBlock(label=_("issuer"), required=False)
    issued = blocks.DateBlock(label=_("issue date"), required=False)
    page = blocks.PageChooserBlock(
        label=_("document in the directives register"),
        required=False,
        help_text=_("Optional: found by its number when the register has it."),
    )

    class Meta:
        icon = "link"
        label = _("Legal document")


class StepTextBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"))
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "order"
        label = _("Step")


# --- The form builder ---------------------------------------------------------------------
APPLICANT_ROLES = [
    ("", _("(none)")),
    ("name", _("Applicant's name")),
    ("id_number", _("Applicant's ID number")),
    ("phone", _("Applicant's phone")),
    ("email", _("Applicant's e-mail")),
    ("address", _("Applicant's address")),
    ("organisation", _("Applicant organisation")),
]


class BaseFieldBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("key"),
        max_length=40,
        validators=[KEY_VALIDATOR],
        help_text=_("A short unique name, e.g. ho_ten. Do not change it once dossiers exist."),
    )
    label = blocks.CharBlock(label=_("question"))
    help_text = blocks.CharBlock(label=_("hint"), required=False)
    required = blocks.BooleanBlock(label=_("required"), required=False, default=True)
    condition_field = blocks.CharBlock(
        label=_("show only when field"),
        required=False,
        help_text=_("Key of an earlier field; leave empty to always show."),
    )
    condition_value = blocks.CharBlock(
        label=_("has the value"),
        required=False,
        help_text=_("Empty: when the earlier field has any answer."),
    )
    role = blocks.ChoiceBlock(
        choices=APPLICANT_ROLES,
        required=False,
        label=_("used as"),
        help_text=_("Copies the answer to the dossier's applicant details (for lookup, e-mail)."),
    )

    class Meta:
        # A folded question is headed by its type and its question; form_builder.js adds its key,
        # whether it is required and its condition.
        label_format = "{label}"


class TextFieldBlock(BaseFieldBlock):
    max_length = blocks.IntegerBlock(
        label=_("maximum length"), default=200, min_value=1, max_value=1000
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class TextAreaFieldBlock(BaseFieldBlock):
    max_length = blocks.IntegerBlock(
        label=_("maximum length"), default=2000, min_value=1, max_value=10000
    )

    class Meta:
        icon = "pilcrow"
        label = _("Long text")


def _number_bound(label, help_text):
    return blocks.DecimalBlock(
        label=label,
        required=False,
        min_value=-NUMBER_LIMIT,
        max_value=NUMBER_LIMIT,
        max_digits=15 + NUMBER_MAX_DECIMAL_PLACES,
        decimal_places=NUMBER_MAX_DECIMAL_PLACES,
        help_text=help_text,
    )


class NumberFieldBlock(BaseFieldBlock):
    """Every answer stays within bounds: the editor's, or 0 to 999 999 999 999 999."""

    min_value = _number_bound(_("minimum"), _("Empty: 0."))
    max_value = _number_bound(_("maximum"), _("Empty: 999 999 999 999 999."))
    whole = blocks.BooleanBlock(label=_("whole numbers only"), required=False, default=True)
    decimal_places = blocks.IntegerBlock(
        label=_("digits after the decimal comma"),
        required=False,
        default=2,
        min_value=0,
        max_value=NUMBER_MAX_DECIMAL_PLACES,
        help_text=_("For numbers that need not be whole."),
    )

    def clean(self, value):
        value = super().clean(value)
        low, high = value.get("min_value"), value.get("max_value")
        if low is not None and high is not None and low > high:
            raise StructBlockValidationError(
                block_errors={
                    "max_value": ValidationError(_("The maximum must not be below the minimum."))
                }
            )
        return value

    class Meta:
        icon = "plus"
        label = _("Number")


class DateFieldBlock(BaseFieldBlock):
    period = blocks.ChoiceBlock(
        choices=[
            ("any", _("Any date")),
            ("past", _("Today or earlier")),
            ("future", _("Today or later")),
        ],
        default="any",
        label=_("allowed dates"),
    )
    is_birth_date = blocks.BooleanBlock(
        label=_("date of birth"), required=False, help_text=_("Checked against the ID number.")
    )

    class Meta:
        icon = "date"
        label = _("Date")


class ChoiceFieldBlock(BaseFieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(label=_("choice")), label=_("choices"))
    is_sex = blocks.BooleanBlock(
        label=_("sex"),
        required=False,
        help_text=_("The choices are Nam / Nữ; checked against the ID number."),
    )

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultiChoiceFieldBlock(BaseFieldBlock):
    choices = blocks.ListBlock(blocks.CharBlock(label=_("choice")), label=_("choices"))

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")


class YesNoFieldBlock(BaseFieldBlock):
    class Meta:
        icon = "help"
        label = _("Yes / no")


class EmailFieldBlock(BaseFieldBlock):
    class Meta:
        icon = "mail"
        label = _("E-mail")


class PhoneFieldBlock(BaseFieldBlock):
    class Meta:
        icon = "mobile-alt"
        label = _("Vietnamese phone number")


class IdNumberFieldBlock(BaseFieldBlock):
    allow_cmnd = blocks.BooleanBlock(
        label=_("accept the old 9-digit ID card (CMND)"), required=False, default=True
    )

    class Meta:
        icon = "user"
        label = _("CCCD / CMND number")


class AddressFieldBlock(BaseFieldBlock):
    class Meta:
        icon = "home"
        label = _("Address (province, district, commune)")


FILE_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG"),
    ("png", "PNG"),
    ("docx", "Word (DOCX)"),
    ("doc", "Word (DOC)"),
    ("xlsx", "Excel (XLSX)"),
]


class FileFieldBlock(BaseFieldBlock):
    allowed_types = blocks.MultipleChoiceBlock(
        choices=FILE_TYPE_CHOICES, default=["pdf", "jpg", "png"], label=_("allowed types")
    )
    max_size_mb = blocks.IntegerBlock(
        label=_("maximum size (MB) per file"), default=5, min_value=1, max_value=20
    )
    max_count = blocks.IntegerBlock(
        label=_("maximum number of files"), default=3, min_value=1, max_value=10
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("File upload")


class IdentifiedStreamBlock(blocks.StreamBlock):
    """A stream whose every block reaches the editor with an id.

    A form stored without ids (loaded as JSON, or the questions inside a step, which keep none
    until the page is saved from the editor) would draw each block's foldable panel with the
    same element id; folding one would then fold another. Ids given here are kept on saving."""

    def get_form_state(self, value):
        state = super().get_form_state(value)
        for child in state:
            if not child.get("id"):
                child["id"] = str(uuid.uuid4())
        return state


class FormFieldStreamBlock(IdentifiedStreamBlock):
    text = TextFieldBlock()
    textarea = TextAreaFieldBlock()
    number = NumberFieldBlock()
    date = DateFieldBlock()
    choice = ChoiceFieldBlock()
    multichoice = MultiChoiceFieldBlock()
    yesno = YesNoFieldBlock()
    email = EmailFieldBlock()
    phone = PhoneFieldBlock()
    idnumber = IdNumberFieldBlock()
    address = AddressFieldBlock()
    file = FileFieldBlock()

    class Meta:
        # Questions open folded: a step of twenty questions is twenty one-line headings, each
        # opened by a click on it.
        collapsed = True


class FormStepBlock(blocks.StructBlock):
    """One page of the online form."""

    key = blocks.CharBlock(label=_("key"), max_length=40, validators=[STEP_KEY_VALIDATOR])
    title = blocks.CharBlock(label=_("heading"))
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    condition_field = blocks.CharBlock(label=_("show only when field"), required=False)
    condition_value = blocks.CharBlock(label=_("has the value"), required=False)
    fields = FormFieldStreamBlock(label=_("fields"))

    class Meta:
        icon = "form"
        label = _("Form step")
        # Folded, a step shows its heading; form_builder.js adds its number of questions and its
        # condition.
        label_format = "{title}"


def fixed_answers(block_type: str, value) -> list[str] | None:
    """The answers a field can have, as a condition names them; None when they are free."""
    if block_type in ("choice", "multichoice"):
        return [str(choice).strip() for choice in value.get("choices") or []]
    if block_type == "yesno":
        return ["yes", "no"]
    return None


class OnlineFormBlock(IdentifiedStreamBlock):
    """The steps of the online form. Every step key and every field key must be unique in the
    whole form (answers are stored by key), and a condition must name a field asked before it."""

    step = FormStepBlock()

    class Meta:
        # The builder opens as one heading per step: moved with Wagtail's own buttons, opened by a
        # click, or all at once with the builder's "open all" (form_builder.js). A step or question
        # the server refuses opens by itself with its error.
        collapsed = True

    def clean(self, value):
        value = super().clean(value)
        step_keys, field_keys = {}, {}
        errors = {}

        def error(step_index, message, field_index=None, name="key"):
            if field_index is None:
                errors.setdefault(step_index, {})[name] = ValidationError(message)
            else:
                errors.setdefault(step_index, {}).setdefault("fields", {}).setdefault(
                    field_index, {}
                )[name] = ValidationError(message)

        answers_of = {}  # key -> the answers a condition on that field may name, when fixed

        def check_condition(holder, step_index, field_index=None):
            condition = holder.get("condition_field")
            if not condition:
                return
            if condition not in field_keys:
                message = (
                    _("“%s” is not the key of a field asked before this step.")
                    if field_index is None
                    else _("“%s” is not the key of a field asked before this one.")
                )
                error(step_index, message % condition, field_index, name="condition_field")
                return
            expected = (holder.get("condition_value") or "").strip()
            allowed = answers_of.get(condition)
            if expected and allowed is not None and expected not in allowed:
                error(
                    step_index,
                    _("“%(value)s” is not an answer of “%(key)s”. Choose one of: %(answers)s.")
                    % {
                        "value": expected,
                        "key": condition,
                        "answers": ", ".join(f"“{a}”" for a in allowed),
                    },
                    field_index,
                    name="condition_value",
                )

        for step_index, step in enumerate(value):
            step_key = step.value["key"]
            if step_key in step_keys:
                error(step_index, _("Another step already uses the key “%s”.") % step_key)
            elif step_key in RESERVED_STEP_KEYS:
                error(
                    step_index,
                    _("“%s” is the review or confirmation step: choose another key.") % step_key,
                )
            step_keys[step_key] = step_index
            check_condition(step.value, step_index)
            for field_index, field in enumerate(step.value["fields"]):
                key = field.value["key"]
                check_condition(field.value, step_index, field_index)
                if key not in answers_of:
                    answers_of[key] = fixed_answers(field.block_type, field.value)
                if key in field_keys:
                    error(
                        step_index,
                        _("Another field of this form already uses the key “%s”.") % key,
                        field_index,
                    )
                field_keys.setdefault(key, (step_index, field_index))
        if errors:
            raise StreamBlockValidationError(
                block_errors={
                    step_index: StructBlockValidationError(
                        block_errors={
                            name: (
                                StreamBlockValidationError(
                                    block_errors={
                                        i: StructBlockValidationError(block_errors=errs)
                                        for i, errs in error_.items()
                                    }
                                )
                                if name == "fields"
                                else error_
                            )
                            for name, error_ in step_errors.items()
                        }
                    )
                    for step_index, step_errors in errors.items()
                },
                non_block_errors=[_("Some keys or conditions of the form need correcting.")],
            )
        return value

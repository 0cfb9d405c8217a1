"""The built-in health declaration form (tờ khai y tế), in the Ministry of Health's structure."""

from .models.declarations import CHRONIC_CONDITIONS, EXPOSURES, SYMPTOMS


def _field(key, kind, label, required=True, **options):
    return {
        "key": key,
        "type": kind,
        "label": label,
        "help": options.pop("help", ""),
        "required": required,
        "condition": options.pop("condition", None),
        "role": options.pop("role", ""),
        **options,
    }


HEALTH_SCHEMA = {
    "version": 1,
    "steps": [
        {
            "key": "ca-nhan",
            "title": "Thông tin cá nhân",
            "intro": (
                "Khai báo thông tin sai là vi phạm pháp luật Việt Nam và có thể xử lý hình sự."
            ),
            "condition": None,
            "fields": [
                _field("full_name", "text", "Họ và tên", max_length=120, role="name"),
                _field(
                    "id_number",
                    "idnumber",
                    "Số CCCD/CMND",
                    required=False,
                    allow_cmnd=True,
                    help="Không bắt buộc. 12 số trên căn cước công dân hoặc 9 số trên CMND.",
                    role="id_number",
                ),
                _field("date_of_birth", "date", "Ngày sinh", period="past", is_birth_date=True),
                _field("sex", "choice", "Giới tính", choices=["Nam", "Nữ", "Khác"], is_sex=True),
                _field("nationality", "text", "Quốc tịch", max_length=60, help="Ví dụ: Việt Nam"),
                _field("phone", "phone", "Số điện thoại", role="phone"),
                _field("email", "email", "Thư điện tử", required=False, role="email"),
                _field("address", "address", "Địa chỉ nơi ở hiện nay", role="address"),
            ],
        },
        {
            "key": "di-chuyen",
            "title": "Lịch trình đi lại",
            "intro": "",
            "condition": None,
            "fields": [
                _field(
                    "travelled",
                    "yesno",
                    "Trong vòng 14 ngày qua, anh/chị có đến tỉnh, thành phố, "
                    "quốc gia/vùng lãnh thổ nào (có thể đi qua nhiều nơi) không?",
                ),
                _field(
                    "travel_details",
                    "textarea",
                    "Các nơi đã đến hoặc đi qua",
                    max_length=1000,
                    condition={"field": "travelled", "value": "yes"},
                    help="Ghi rõ tỉnh, thành phố, quốc gia và ngày đến.",
                ),
            ],
        },
        {
            "key": "trieu-chung",
            "title": "Triệu chứng",
            "intro": "",
            "condition": None,
            "fields": [
                _field(
                    "has_symptoms",
                    "yesno",
                    "Trong vòng 14 ngày qua, anh/chị có thấy xuất hiện dấu hiệu sốt, ho, "
                    "khó thở, viêm phổi, đau họng, mệt mỏi hoặc mất vị giác, khứu giác không?",
                ),
                _field(
                    "symptoms",
                    "multichoice",
                    "Những dấu hiệu đã có",
                    choices=[label for _c, label in SYMPTOMS],
                    condition={"field": "has_symptoms", "value": "yes"},
                    help="Chọn tất cả những dấu hiệu đã có.",
                ),
            ],
        },
        {
            "key": "tiep-xuc",
            "title": "Lịch sử phơi nhiễm",
            "intro": "",
            "condition": None,
            "fields": [
                _field(
                    "had_exposure",
                    "yesno",
                    "Trong vòng 14 ngày qua, anh/chị có tiếp xúc với người bệnh, "
                    "người nghi ngờ mắc bệnh, người từ vùng có dịch hoặc người có biểu hiện sốt, "
                    "ho, khó thở không?",
                ),
                _field(
                    "exposures",
                    "multichoice",
                    "Những trường hợp đã tiếp xúc",
                    choices=[label for _c, label in EXPOSURES],
                    condition={"field": "had_exposure", "value": "yes"},
                    help="Chọn tất cả những trường hợp đúng.",
                ),
            ],
        },
        {
            "key": "benh-nen",
            "title": "Bệnh nền",
            "intro": "",
            "condition": None,
            "fields": [
                _field(
                    "has_chronic",
                    "yesno",
                    "Hiện tại anh/chị có bệnh nền (bệnh mãn tính, tim mạch, tiểu đường, ung thư, "
                    "đang mang thai...) không?",
                ),
                _field(
                    "chronic",
                    "multichoice",
                    "Những bệnh đang có",
                    choices=[label for _c, label in CHRONIC_CONDITIONS],
                    condition={"field": "has_chronic", "value": "yes"},
                    help="Chọn tất cả những bệnh đang có.",
                ),
            ],
        },
    ],
}

COMMITMENT = (
    "Tôi cam kết những thông tin trên là đúng sự thật, tôi hiểu rằng nếu cung cấp sai thông tin "
    "có thể dẫn đến những hậu quả nghiêm trọng và bị xử lý theo quy định của pháp luật."
)


def codes(labels, options):
    """The codes of the labels ticked (labels not in ``options`` are dropped)."""
    by_label = {label: code for code, label in options}
    return [by_label[label] for label in labels or [] if label in by_label]


def answered_codes(answers, question, field, options):
    """The codes ticked under a Có/Không question: none when the answer is Không."""
    if answers.get(question) != "yes":
        return []
    return codes(answers.get(field), options)

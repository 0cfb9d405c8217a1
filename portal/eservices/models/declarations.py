import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.display import local_display
from portal.core.models import optional_unit

SYMPTOMS = [
    ("fever", "Sốt"),
    ("cough", "Ho"),
    ("breath", "Khó thở"),
    ("pneumonia", "Viêm phổi"),
    ("sore_throat", "Đau họng"),
    ("fatigue", "Mệt mỏi"),
    ("taste_smell", "Mất vị giác, khứu giác"),
]
EXPOSURES = [
    ("case", "Tiếp xúc với người bệnh hoặc nghi ngờ mắc bệnh COVID-19"),
    ("outbreak_area", "Tiếp xúc với người từ vùng có dịch bệnh COVID-19"),
    ("symptomatic", "Tiếp xúc với người có biểu hiện sốt, ho, khó thở, viêm phổi"),
]
CHRONIC_CONDITIONS = [
    ("liver", "Bệnh gan mãn tính"),
    ("blood", "Bệnh máu mãn tính"),
    ("lung", "Bệnh phổi mãn tính"),
    ("kidney", "Bệnh thận mãn tính"),
    ("heart", "Bệnh tim mạch"),
    ("hypertension", "Huyết áp cao"),
    ("immunodeficiency", "Suy giảm miễn dịch (HIV)"),
    ("transplant", "Người nhận ghép tạng, thủ ghép tủy"),
    ("diabetes", "Tiểu đường"),
    ("cancer", "Ung thư"),
    ("pregnant", "Đang mang thai"),
]


class HealthDeclaration(models.Model):
    """A health declaration (tờ khai y tế) with the Ministry of Health fields; kept briefly."""

    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other")

    token_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("full name"), max_length=120)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    nationality = models.CharField(_("nationality"), max_length=60, default="Việt Nam")
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    province = optional_unit(_("province"))
    district = optional_unit(_("district"))
    commune = optional_unit(_("commune"))
    address = models.CharField(_("address"), max_length=250)
    travelled = models.BooleanField(_("travelled in the last 14 days"), default=False)
    travel_details = models.TextField(_("places passed through"), blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    exposures = models.JSONField(_("exposure"), default=list, blank=True)
    chronic_conditions = models.JSONField(_("chronic conditions"), default=list, blank=True)
    commitment = models.BooleanField(_("commitment"), default=False)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        ordering = ["-created_at"]

    def __str__(self):
        return (
            f"{self.full_name} ({local_display(self.created_at)})"
            if self.created_at
            else self.full_name
        )

    @property
    def has_risk_signs(self) -> bool:
        """Any symptom or any exposure in the last 14 days."""
        return bool(self.symptoms) or bool(self.exposures)

    def symptom_labels(self):
        labels = dict(SYMPTOMS)
        return [labels.get(s, s) for s in self.symptoms]

    def exposure_labels(self):
        labels = dict(EXPOSURES)
        return [labels.get(s, s) for s in self.exposures]

    def chronic_labels(self):
        labels = dict(CHRONIC_CONDITIONS)
        return [labels.get(s, s) for s in self.chronic_conditions]

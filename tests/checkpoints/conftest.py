import pytest
from django.utils import timezone

from portal.checkpoints.models import CheckIn, Checkpoint


@pytest.fixture
def communes(served_communes):
    return served_communes[0], served_communes[1]


@pytest.fixture
def checkpoint_factory(communes):
    counter = {"n": 0}

    def make(commune=None, **kwargs):
        counter["n"] += 1
        kwargs.setdefault("name", f"Ủy ban nhân dân số {counter['n']}")
        kwargs.setdefault("address", "Thôn 1, xã Vĩnh Thành, huyện Vĩnh Lộc")
        return Checkpoint.objects.create(commune=commune or communes[0], **kwargs)

    return make


@pytest.fixture
def checkpoint(checkpoint_factory):
    return checkpoint_factory(name="Ủy ban nhân dân thị trấn Vĩnh Lộc")


@pytest.fixture
def stay_factory():
    def make(checkpoint, start, minutes=30, phone="0912345678", name="Nguyễn Văn A", **kw):
        end = start + timezone.timedelta(minutes=minutes) if minutes is not None else None
        return CheckIn.objects.create(
            checkpoint=checkpoint,
            full_name=name,
            phone=phone,
            checked_in_at=start,
            checked_out_at=end,
            **kw,
        )

    return make

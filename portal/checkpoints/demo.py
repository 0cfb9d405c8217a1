"""Demo checkpoints in every commune and a few days of check-ins in which tracing finds contacts."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from portal.core.models import AdministrativeUnit

ORDER = 40
DEMO_CASE = {"full_name": "Lê Văn Tâm", "phone": "0912000111"}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Trịnh", "Mai", "Lưu"]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Hữu"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Bích"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Tuấn", "Long", "Hải", "Thắng", "Cường", "Sơn", "Phúc"]
GIVEN_F = ["Hoa", "Lan", "Hương", "Mai", "Nga", "Hằng", "Thảo", "Liên", "Yến", "Trang"]
VILLAGES = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn Yên Tôn", "Thôn Đông Môn", "Khu phố 1"]


def _checkpoint_specs(commune, index):
    from .models import Checkpoint

    name = commune.name
    full = commune.name_with_type
    village = VILLAGES[index % len(VILLAGES)]
    specs = [
        (f"UBND {full}", Checkpoint.Kind.OFFICE, f"{village}, {full}"),
        (f"Trạm Y tế {full}", Checkpoint.Kind.HEALTH, f"{village}, {full}"),
        (f"Trường Tiểu học {name}", Checkpoint.Kind.SCHOOL, f"{village}, {full}"),
        (f"Nhà văn hoá {VILLAGES[(index + 2) % len(VILLAGES)]}", Checkpoint.Kind.CULTURE,
         f"{VILLAGES[(index + 2) % len(VILLAGES)]}, {full}"),
    ]  # fmt: skip
    if index % 2 == 0:
        specs.append((f"Chợ {name}", Checkpoint.Kind.MARKET, f"{village}, {full}"))
    if index == 0:
        specs += [
            ("UBND huyện Vĩnh Lộc", Checkpoint.Kind.OFFICE, f"Khu phố 2, {full}"),
            ("Trung tâm Y tế huyện Vĩnh Lộc", Checkpoint.Kind.HEALTH, f"Khu phố 3, {full}"),
            ("Bộ phận Một cửa huyện", Checkpoint.Kind.OFFICE, f"Khu phố 2, {full}"),
            ("Chợ Bồng", Checkpoint.Kind.MARKET, f"Khu phố 4, {full}"),
        ]
    return specs


def _people(rng, n=160):
    people = []
    for i in range(n):
        female = i % 2 == 1
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            ]
        )
        phone = f"09{rng.choice('13456789')}{i:07d}"
        people.append({"full_name": name, "phone": phone})
    return people


def load(ctx):
    from .models import CheckIn, Checkpoint

    rng = random.Random(2021)
    admin = ctx.get("admin")
    checkpoints = []
    for index, commune in enumerate(AdministrativeUnit.objects.served().order_by("code")):
        for name, kind, address in _checkpoint_specs(commune, index):
            checkpoint, _ = Checkpoint.objects.get_or_create(
                commune=commune,
                name=name,
                defaults={
                    "kind": kind,
                    "address": address,
                    "responsible_name": "Cán bộ văn phòng",
                    "responsible_phone": "0237387" + f"{index:04d}",
                    "created_by": admin,
                    "updated_by": admin,
                },
            )
            checkpoints.append(checkpoint)
    ctx["checkpoints"] = checkpoints
    if CheckIn.objects.filter(phone=DEMO_CASE["phone"]).exists():
        return ctx

    people = _people(rng)
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    busy = [c for c in checkpoints if c.kind in ("market", "office", "health")]
    for days_ago in range(4, 0, -1):
        day = today - timedelta(days=days_ago)
        for _ in range(160):
            person = rng.choice(people)
            place = rng.choice(busy if rng.random() < 0.7 else checkpoints)
            start = timezone.make_aware(
                datetime.combine(day, time(7, 0)) + timedelta(minutes=rng.randint(0, 600))
            )
            stay = timedelta(minutes=rng.randint(10, 90))
            rows.append(
                CheckIn(
                    checkpoint=place,
                    full_name=person["full_name"],
                    phone=person["phone"],
                    checked_in_at=start,
                    checked_out_at=start + stay,
                    consent_at=start,
                    source=CheckIn.Source.QR if rng.random() < 0.85 else CheckIn.Source.PAPER,
                )
            )
    # The demo case: two days ago at Chợ Bồng in the morning, then at the district health
    # centre; several people were there at the same time (F1), and one of them went on (F2).
    market = next(c for c in checkpoints if c.name == "Chợ Bồng")
    centre = next(c for c in checkpoints if c.name == "Trung tâm Y tế huyện Vĩnh Lộc")
    school = next(c for c in checkpoints if c.kind == "school")
    day = today - timedelta(days=2)

    def at(h, m, d=day):
        return timezone.make_aware(datetime.combine(d, time(h, m)))

    story = [
        (DEMO_CASE, market, at(7, 30), at(8, 15)),
        (DEMO_CASE, centre, at(9, 0), at(9, 40)),
        ({"full_name": "Phạm Thị Hoa", "phone": "0987000222"}, market, at(7, 50), at(8, 30)),
        ({"full_name": "Trịnh Văn Hùng", "phone": "0977000333"}, market, at(8, 30), at(9, 0)),
        ({"full_name": "Nguyễn Thị Lan", "phone": "0967000444"}, centre, at(9, 20), at(10, 0)),
        ({"full_name": "Phạm Thị Hoa", "phone": "0987000222"}, school, at(14, 0), at(16, 30)),
        ({"full_name": "Vũ Đức Nam", "phone": "0357000555"}, school, at(15, 0), at(16, 0)),
        ({"full_name": "Bùi Văn Long", "phone": "0397000666"}, market, at(11, 0), at(11, 30)),
    ]
    for person, place, start, end in story:
        rows.append(
            CheckIn(
                checkpoint=place,
                full_name=person["full_name"],
                phone=person["phone"],
                checked_in_at=start,
                checked_out_at=min(end, now),
                consent_at=start,
            )
        )
    CheckIn.objects.bulk_create(rows, batch_size=500)
    return ctx

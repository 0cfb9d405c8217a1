"""The template of the district's report on IT against COVID-19 (the seed document), shared by
every unit: 1. Công tác chỉ đạo from the register, 2. Kết quả thực hiện from the statistics (with
the citizens' satisfaction with the services and the pages when they rated them, and each unit's
figures when the report is on several units).

A data migration writes it; ``ensure_seed_template`` writes it again after every ``migrate`` when
it is missing (a flushed database), never over a unit's edits.
"""

NAME = "ung-dung-cntt-phong-chong-covid"

TITLE = (
    "Việc ứng dụng công nghệ thông tin trong phòng, chống dịch Covid-19 trên địa bàn "
    "{{ unit_name }}"
)

RECIPIENTS = "{{ parent_body }};"

BODY = """\
{% for d in implements %}Thực hiện {{ d.type_name }} số {{ d.reference }} ngày {{ d.issued_long }} \
của {{ d.issuer }} {{ d.summary_lower }}.
{% empty %}Thực hiện chỉ đạo của cấp trên về đẩy mạnh ứng dụng công nghệ thông tin trong phòng, \
chống dịch Covid-19.
{% endfor %}
{{ unit_short }} báo cáo việc đẩy mạnh ứng dụng công nghệ thông tin trong phòng, chống dịch \
Covid-19 từ ngày {{ date_from|date:"d/m/Y" }} đến ngày {{ date_to|date:"d/m/Y" }} với nội dung \
như sau:

## 1. Công tác chỉ đạo

{% if own_directives %}{{ unit_short }} ban hành {% for d in own_directives %}{{ d.type_name }} \
số {{ d.reference }}, ngày {{ d.issued }} {{ d.summary_lower }}{% if not forloop.last %}; \
{% endif %}{% endfor %}.{% else %}Trong kỳ báo cáo, {{ unit_short }} không ban hành văn bản \
chỉ đạo mới về nội dung này.{% endif %}

## 2. Kết quả thực hiện

2.1. Đã thiết lập đăng ký “Điểm kiểm dịch”, quét mã QR tại các cơ quan, đơn vị trên địa bàn \
nhằm kiểm soát người vào, ra và khai báo y tế điện tử, phục vụ truy vết nhanh khi cần thiết. \
Đến hết ngày {{ date_to|date:"d/m/Y" }}, trên địa bàn có {{ f.checkpoints_registered }} điểm \
kiểm dịch đã đăng ký; trong kỳ có {{ f.checkpoints_active }} điểm phát sinh lượt ra, vào và \
{{ f.checkpoints_dormant }} điểm chưa phát sinh lượt nào.

Trong kỳ ghi nhận {{ f.checkins_total }} lượt ra, vào: {{ f.checkins_qr }} lượt người dân tự \
quét mã QR, {{ f.checkins_paper }} lượt khai trên tờ khai giấy do cán bộ nhập lại, \
{{ f.checkins_staff }} lượt cán bộ quét mã QR cá nhân. Với trường hợp không sử dụng điện thoại \
thông minh, các đơn vị cung cấp tờ khai bản giấy theo đúng quy định của ngành Y tế.

[[table checkins_per_day]]

2.2. Khai báo y tế: trong kỳ có {{ f.declarations_electronic }} tờ khai y tế điện tử và \
{{ f.declarations_paper }} tờ khai giấy được nhập vào hệ thống.

[[table declarations_per_day]]

2.3. Thực hiện tốt việc giải quyết thủ tục hành chính, dịch vụ công trực tuyến trên môi trường \
điện tử: tiếp nhận {{ f.dossiers_received }} hồ sơ trực tuyến; giải quyết \
{{ f.dossiers_processed }} hồ sơ, trong đó {{ f.dossiers_on_time }} hồ sơ đúng hạn, \
{{ f.dossiers_late }} hồ sơ quá hạn; {{ f.dossiers_supplement }} hồ sơ yêu cầu bổ sung; thời \
gian giải quyết bình quân {{ f.dossiers_average_days }} ngày làm việc. Sử dụng hình thức họp, \
giao ban trực tuyến: {{ f.meetings_online }} trong {{ f.meetings }} cuộc họp trên lịch công tác \
được tổ chức trực tuyến.
{% if f.service_ratings.value %}
Người dân gửi {{ f.service_ratings }} lượt đánh giá mức độ hài lòng khi sử dụng dịch vụ công trực \
tuyến: {{ f.service_ratings_satisfied }} lượt hài lòng, {{ f.service_ratings_neutral }} lượt \
bình thường, {{ f.service_ratings_dissatisfied }} lượt không hài lòng; tỷ lệ hài lòng đạt \
{{ f.service_satisfied_share }}%.

[[table satisfaction_per_procedure]]
{% endif %}
[[table dossiers_per_procedure]]

2.4. Công tác tuyên truyền về phòng, chống dịch Covid-19: trang thông tin điện tử của \
{{ area }} đăng {{ f.news_published }} tin, bài ({{ f.news_tuyen_truyen }} bài tuyên truyền, \
{{ f.news_thong_bao }} thông báo) và {{ f.radio_bulletins }} bản tin truyền thanh, đề nghị mọi \
người dân có điện thoại thông minh cài đặt ứng dụng để quét mã QR, nhằm phát huy hiệu quả truy \
vết trong phòng, chống Covid-19.{% if f.page_votes.value %} Người đọc gửi {{ f.page_votes }} \
lượt đánh giá tin, bài, trong đó {{ f.page_votes_useful }} lượt ({{ f.page_useful_share }}%) \
cho rằng thông tin hữu ích.{% endif %}
{% if units %}
2.5. Số liệu của từng đơn vị trong báo cáo:

[[table figures_per_unit]]
{% endif %}
{{ issuing_body }} báo cáo {{ parent_body }} về việc đẩy mạnh ứng dụng công nghệ thông tin \
trong phòng, chống dịch Covid-19 trên địa bàn theo quy định.
"""

COPIES_TO = """\
Như trên;
Sở Thông tin và Truyền thông tỉnh;
Lưu: VT, VH TT."""


def seed_defaults() -> dict:
    return {
        "title": TITLE,
        "recipients": RECIPIENTS,
        "body": BODY,
        "copies_to": COPIES_TO,
        "symbol": "UBND",
        "signing_for": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "",
    }


def ensure_seed_template(model=None):
    if model is None:
        from .models import ReportTemplate as model
    if not model.objects.filter(site=None, name=NAME).exists():
        model.objects.create(site=None, name=NAME, **seed_defaults())


def on_post_migrate(sender, using="default", **kwargs):
    from django.db import connections

    from .models import ReportTemplate

    if ReportTemplate._meta.db_table in connections[using].introspection.table_names():
        ensure_seed_template()

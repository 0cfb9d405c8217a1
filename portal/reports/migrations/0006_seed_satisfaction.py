"""The seed template's "Kết quả thực hiện" gains the citizens' satisfaction, the pages' usefulness
and each unit's figures (portal.reports.seed). A template a unit edited is left as it is: only a
shared seed whose body is still the one shipped before is brought up to date."""

from django.db import migrations

from portal.reports.seed import BODY, NAME

PREVIOUS_BODY = """\
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

[[table dossiers_per_procedure]]

2.4. Công tác tuyên truyền về phòng, chống dịch Covid-19: trang thông tin điện tử của \
{{ area }} đăng {{ f.news_published }} tin, bài ({{ f.news_tuyen_truyen }} bài tuyên truyền, \
{{ f.news_thong_bao }} thông báo) và {{ f.radio_bulletins }} bản tin truyền thanh, đề nghị mọi \
người dân có điện thoại thông minh cài đặt ứng dụng để quét mã QR, nhằm phát huy hiệu quả truy \
vết trong phòng, chống Covid-19.

{{ issuing_body }} báo cáo {{ parent_body }} về việc đẩy mạnh ứng dụng công nghệ thông tin \
trong phòng, chống dịch Covid-19 trên địa bàn theo quy định.
"""


def forward(apps, schema_editor):
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    ReportTemplate.objects.filter(site=None, name=NAME, body=PREVIOUS_BODY).update(body=BODY)


def backward(apps, schema_editor):
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    ReportTemplate.objects.filter(site=None, name=NAME, body=BODY).update(body=PREVIOUS_BODY)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_run_sites")]

    operations = [migrations.RunPython(forward, backward)]

"""The open-data API: Wagtail's API v2 on the demo content, answers checked against the
OpenAPI description the portal publishes; only live public pages of the site asked; nothing
personal; CORS for GET; cacheable; rate-limited."""

import pytest
from django.core.cache import caches
from django.utils import timezone
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from wagtail.models import Page, PageViewRestriction, Site

from portal.api import schema
from portal.news.models import DirectivePage, NewsPage

PERSONAL = {"owner", "email", "phone", "password", "latest_revision", "locked_by", "applicant",
            "full_name", "id_number", "cccd"}  # fmt: skip


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _get(client, url, **extra):
    caches["default"].clear()
    return client.get(url, **extra)


def test_the_published_description_is_valid_openapi(demo, client):
    response = _get(client, "/api/schema/")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    validate(response.json())


def test_news_listing_matches_the_description_and_is_open_and_cacheable(demo, client):
    response = _get(client, "/api/v2/pages/?type=news.NewsPage&fields=date,summary,category")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = response.json()
    OAS30Validator(schema.LISTING).validate(data)
    site_news = NewsPage.objects.live().public().descendant_of(demo.root_page)
    assert data["meta"]["total_count"] == site_news.count() > 0
    assert {item["id"] for item in data["items"]} <= set(site_news.values_list("pk", flat=True))


def test_a_directive_carries_its_register_fields_and_file(demo, client):
    directive = DirectivePage.objects.live().descendant_of(demo.root_page).exclude(
        document=None).first()  # fmt: skip
    data = _get(client, f"/api/v2/pages/{directive.pk}/").json()
    OAS30Validator(schema.PAGE).validate(data)
    assert data["reference"] == directive.reference
    assert data["issuer"] == directive.issuer.name
    assert data["issue_date"] == directive.issue_date.isoformat()
    assert data["document"].startswith("http") and data["document"].endswith(directive.document.url)


def test_each_host_answers_with_its_own_sites_pages(demo, client):
    commune = Site.objects.exclude(root_page=demo.root_page).first()
    host = {"HTTP_HOST": f"{commune.hostname}:{commune.port}"}
    data = _get(client, "/api/v2/pages/?limit=50", **host).json()
    ids = {item["id"] for item in data["items"]}
    assert ids and ids <= set(Page.objects.descendant_of(commune.root_page, inclusive=True)
                               .values_list("pk", flat=True))  # fmt: skip


def test_drafts_and_private_pages_are_never_served(demo, client):
    news = NewsPage.objects.live().descendant_of(demo.root_page)
    draft, private = news[0], news[1]
    draft.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    listed = {
        i["id"] for i in _get(client, "/api/v2/pages/?type=news.NewsPage&limit=50").json()["items"]
    }
    assert draft.pk not in listed and private.pk not in listed
    assert _get(client, f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert _get(client, f"/api/v2/pages/{private.pk}/").status_code == 404


@pytest.mark.parametrize("page_type", ["news.NewsPage", "news.DirectivePage", "wagtailcore.Page"])
def test_nothing_personal_in_any_field(demo, client, page_type):
    listing = _get(client, f"/api/v2/pages/?type={page_type}&fields=*&limit=50").json()
    assert listing["items"]
    detail = _get(client, f"/api/v2/pages/{listing['items'][0]['id']}/").json()
    for answer in (listing, detail):
        assert not PERSONAL & set(_keys(answer))


def test_asking_for_an_owner_is_refused(demo, client):
    response = _get(client, "/api/v2/pages/?fields=owner")
    assert response.status_code == 400


def test_a_client_asking_too_often_is_told_to_wait(demo, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"open_data": "3/m"},
    }
    caches["default"].clear()
    codes = [client.get("/api/v2/pages/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_the_schedule_lists_this_sites_meetings_as_described(demo, client):
    from portal.news.models import Meeting

    meeting = Meeting.objects.filter(site=demo).order_by("start").first()
    day = timezone.localtime(meeting.start).date().isoformat()
    data = _get(client, f"/api/v2/schedule/?from={day}&to={day}").json()
    OAS30Validator(schema.SCHEDULE).validate(data)
    assert meeting.pk in {m["id"] for m in data["items"]}
    others = set(Meeting.objects.exclude(site=demo).values_list("pk", flat=True))
    assert not others & {m["id"] for m in data["items"]}
    assert _get(client, "/api/v2/schedule/?from=hôm-nay").status_code == 400


def test_published_questions_match_the_description_and_carry_nothing_personal(demo, client):
    from portal.participation.questions.models import Question

    response = _get(client, "/api/v2/questions/")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    OAS30Validator(schema.QUESTIONS).validate(data)
    published = Question.objects.published().filter(site=demo)
    assert data["meta"]["total_count"] == published.count() > 0
    assert {i["id"] for i in data["items"]} == set(published.values_list("pk", flat=True))
    assert not set(_keys(data)) & (PERSONAL | {"asker_name", "asker_phone", "asker_email"})
    text = str(data)
    for question in Question.objects.all():
        assert question.asker_phone not in text and question.asker_name not in text
    # Unpublished and unanswered questions are never served; search folds diacritics.
    assert Question.objects.exclude(pk__in=published).exists()
    found = _get(client, "/api/v2/questions/?search=chung+thuc").json()
    assert [i["title"] for i in found["items"]] == [
        "Chứng thực bản sao có cần mang bản chính không?"
    ]
    assert _get(client, "/api/v2/questions/?from=nope").status_code == 400


def test_the_developers_page_lists_every_endpoint(demo, client):
    page = client.get("/api/").content.decode()
    for path in ("/api/v2/pages/", "/api/v2/schedule/", "/api/v2/questions/", "/api/schema/"):
        assert path in page
    assert "Dữ liệu mở" in page and "For developers (English)" in page
    assert 'href="/api/"' in client.get("/").content.decode()  # linked from every page's footer


def test_open_drafts_procedures_and_alerts_carry_their_fields(demo, client):
    from portal.participation.consultations.models import DraftPage

    draft = DraftPage.objects.live().descendant_of(demo.root_page).first()
    data = _get(client, f"/api/v2/pages/{draft.pk}/").json()
    OAS30Validator(schema.PAGE).validate(data)
    assert data["drafting_agency"] == draft.drafting_agency and data["open"] is draft.is_open
    assert [s["heading"] for s in data["sections"]] == [s.heading for s in draft.sections.all()]
    listed = _get(client, "/api/v2/pages/?type=consultations.DraftPage&fields=*").json()
    assert draft.pk in {i["id"] for i in listed["items"]}
    assert not set(_keys(listed)) & (PERSONAL | {"comments", "contact", "name"})
    procedures = _get(client, "/api/v2/pages/?type=eservices.ServicePage&fields=*&limit=5").json()
    OAS30Validator(schema.LISTING).validate(procedures)
    first = procedures["items"][0]
    assert {"procedure_code", "area", "level", "processing_days", "legal_basis"} <= set(first)
    alerts = _get(client, "/api/v2/pages/?type=alerts.AlertPage&fields=*").json()
    OAS30Validator(schema.LISTING).validate(alerts)
    assert alerts["items"] and alerts["items"][0]["urgency"] == "urgent"

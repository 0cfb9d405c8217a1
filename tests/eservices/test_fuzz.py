"""Random data posted to every step of every demo form never causes a server error."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.eservices.health_form import HEALTH_SCHEMA
from portal.eservices.models import ServicePage

# Numbers that broke or could break decimal arithmetic: overflow, underflow, not-a-number.
EXOTIC_NUMBERS = ["1e100000000", "NaN", "Infinity", "-0", "1e-999999", "-Infinity", "sNaN"]
text = st.text(max_size=60) | st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1e309",
        *EXOTIC_NUMBERS,
        "9" * 40,
        "1.500.000",
        "a" + "\r\na" * 330,  # a long answer of many short lines
        "31/02/2020",
        "038195001234",
        "'; DROP TABLE x;--",
        "<b>x</b>",
    ]
)


def field_names(field):
    if field["type"] == "address":
        return [f"{field['key']}__{p}" for p in ("province", "district", "commune", "detail")]
    return [field["key"]]


def upload_name(drawn: str) -> str:
    """A name a browser could send: Django's test client itself refuses "", "." and "a/"."""
    name = os.path.basename(drawn)
    return "x" if name in {"", ".", ".."} else name


def forms_to_fuzz():
    urls = [(reverse("eservices:health_start"), HEALTH_SCHEMA)]
    for page in ServicePage.objects.live():
        if page.accepts_online_filing:
            urls.append(
                (reverse("eservices:apply_start", kwargs={"slug": page.slug}), page.form_schema())
            )
    return urls


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_posts_to_every_step_never_fail(es_demo_once, client, data):
    for start, schema in es_demo_once:
        response = client.get(start)
        url = response["Location"]
        for step in [
            *schema["steps"],
            {"key": "kiem-tra", "fields": [{"key": "consent", "type": "x"}]},
        ]:
            step_url = url.rsplit("/", 2)[0] + f"/{step['key']}/"
            payload = {}
            for field in step["fields"]:
                for name in field_names(field):
                    payload[f"{step['key']}-{name}"] = data.draw(text)
                if field["type"] == "file" and data.draw(st.booleans()):
                    payload[f"{step['key']}-{field['key']}"] = SimpleUploadedFile(
                        upload_name(data.draw(st.text(max_size=30))),
                        data.draw(st.binary(max_size=200)),
                    )
            prefix = "health" if "khai-bao-y-te" in start else None
            current = data.draw(st.sampled_from([step["key"], "kiem-tra", "bogus", ""]))
            for key in ("_refresh", "_save", "wizard_goto_step"):
                if data.draw(st.booleans()):
                    payload[key] = data.draw(text)
            response = client.post(
                step_url, {**payload, f"{prefix or _prefix(url)}-current_step": current}
            )
            assert response.status_code < 500, (step_url, payload)


def _prefix(url):
    from portal.eservices.models import ServicePage

    slug = url.split("/nop/")[1].split("/")[0]
    return f"svc{ServicePage.objects.get(slug=slug).pk}"


@pytest.fixture
def es_demo_once(es_demo):
    return forms_to_fuzz()


@pytest.mark.django_db
def test_exotic_numbers_on_every_number_field_get_a_vietnamese_message(es_demo, client):
    """Each number field of each demo form, posted 1e100000000, NaN, Infinity, -0, 1e-999999:
    the step is shown again with a message in Vietnamese (-0 is taken as 0), never a 500."""
    checked = 0
    for start, schema in forms_to_fuzz():
        first_url = client.get(start)["Location"]
        prefix = "health" if "khai-bao-y-te" in start else _prefix(first_url)
        first = schema["steps"][0]["key"]
        # "Save and continue later" on the first step opens a draft, so any step can be posted.
        saved = client.post(first_url, {f"{prefix}-current_step": first, "_save": "1"})
        assert saved.status_code == 302
        for step in schema["steps"]:
            numbers = [f for f in step["fields"] if f["type"] == "number"]
            if not numbers:
                continue
            step_url = first_url.rsplit("/", 2)[0] + f"/{step['key']}/"
            for value in EXOTIC_NUMBERS:
                payload = {f"{prefix}-current_step": step["key"]}
                for field in numbers:
                    if field["condition"]:
                        name = f"{step['key']}-{field['condition']['field']}"
                        payload[name] = field["condition"]["value"] or "yes"
                    payload[f"{step['key']}-{field['key']}"] = value
                response = client.post(step_url, payload)
                assert response.status_code == 200, (step_url, value)
                html = response.content.decode()
                for field in numbers:
                    if value == "-0":
                        assert "phải là một số" not in html
                    else:
                        assert f"{field['label']} phải là một số, ví dụ 1500 hoặc 12,5." in html
                checked += 1
    assert checked >= 5 * 3  # the household business, building permit and copy forms

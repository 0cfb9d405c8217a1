"""What the open-data API publishes of each page type: public fields only, never a person's data
(no owner, no editor, no revision; a directive's signer is printed on the document itself).

Set on the models from here (``ApiConfig.ready``), so that the content apps know nothing of the API.
"""

from rest_framework import serializers
from wagtail.api import APIField


class DocumentURLField(serializers.Field):
    """The address of a page's attached document (a directive's file), or null."""

    def to_representation(self, document):
        request = self.context.get("request")
        if document is None:
            return None
        url = document.url
        return request.build_absolute_uri(url) if request is not None else url

    def get_attribute(self, instance):
        return instance.document


class IssuerField(serializers.Field):
    def to_representation(self, issuer):
        return issuer.name if issuer is not None else None

    def get_attribute(self, instance):
        return instance.issuer


class AreaField(serializers.Field):
    def to_representation(self, area):
        return area.name if area is not None else None

    def get_attribute(self, instance):
        return instance.area


class SectionsField(serializers.Field):
    """A draft's sections: heading and text, in order (the parts people comment on)."""

    def to_representation(self, sections):
        return [{"id": s.pk, "heading": s.heading, "body": s.body} for s in sections]

    def get_attribute(self, instance):
        return list(instance.sections.all())


class OpenField(serializers.Field):
    def to_representation(self, value):
        return value

    def get_attribute(self, instance):
        value = getattr(instance, "is_open", None)
        return value() if callable(value) else value


def publish_fields():
    from portal.eservices.models import ServicePage
    from portal.news.models import DirectivePage, NewsPage
    from portal.notifications.alerts.models import AlertPage
    from portal.participation.consultations.models import DraftPage

    NewsPage.api_fields = [
        APIField("date"),
        APIField("category"),
        APIField("summary"),
        APIField("body"),
    ]
    DirectivePage.api_fields = [
        APIField("doc_type"),
        APIField("reference"),
        APIField("issuer", serializer=IssuerField()),
        APIField("signer"),
        APIField("signer_title"),
        APIField("issue_date"),
        APIField("effective_date"),
        APIField("status"),
        APIField("summary"),
        APIField("document", serializer=DocumentURLField()),
    ]
    # Procedures in the structure of the national procedure database (thủ tục hành chính).
    ServicePage.api_fields = [
        APIField("procedure_code"),
        APIField("area", serializer=AreaField()),
        APIField("level"),
        APIField("at_province"),
        APIField("at_district"),
        APIField("at_commune"),
        APIField("summary"),
        APIField("agency"),
        APIField("applicants"),
        APIField("steps"),
        APIField("methods"),
        APIField("components"),
        APIField("processing_days"),
        APIField("processing_time_text"),
        APIField("fee_items"),
        APIField("fees"),
        APIField("result"),
        APIField("conditions"),
        APIField("legal_basis"),
    ]
    # Drafts open for comment: never the comments' authors (comments are not served at all).
    DraftPage.api_fields = [
        APIField("drafting_agency"),
        APIField("summary"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("open", serializer=OpenField()),
        APIField("sections", serializer=SectionsField()),
        APIField("document", serializer=DocumentURLField()),
        APIField("response"),
    ]
    AlertPage.api_fields = [APIField("message"), APIField("urgency"), APIField("sent_at")]

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


def publish_fields():
    from portal.news.models import DirectivePage, NewsPage

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

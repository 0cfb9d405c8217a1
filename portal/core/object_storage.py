"""Media and private files on S3-compatible object storage (AWS S3, MinIO, ...).

Read once, in portal/settings/base.py, from the environment (docs/operations.md):

``S3_BUCKET``             the bucket; setting it switches both storages to object storage
``S3_PRIVATE_BUCKET``     private files' bucket (default: ``S3_BUCKET``, under ``private/``)
``S3_ENDPOINT_URL``       the server, e.g. ``http://minio:9000`` (empty: AWS itself)
``S3_REGION``             default ``us-east-1``
``S3_ACCESS_KEY_ID``      and ``S3_SECRET_ACCESS_KEY``; when empty boto3 looks for its own
                          (``AWS_ACCESS_KEY_ID``..., an instance role)
``S3_MEDIA_URL``          public address of the media prefix, e.g. ``/media/`` when nginx
                          forwards it to the bucket, or ``https://cdn.example.vn/media/``;
                          empty: the bucket's own address
``S3_ADDRESSING_STYLE``   ``path`` (MinIO, default) or ``virtual``

"default" holds public media (images, renditions, Wagtail documents, whose views check their
collection's privacy) under ``media/``; "private" holds dossier attachments, results, drafts'
uploads and poster zips under ``private/``, with no public ACL and served only by the views
that check permission (they stream the bytes, so audit logging is unchanged).
"""

from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

MEDIA_PREFIX = "media"
PRIVATE_PREFIX = "private"


class PublicMediaStorage(S3Storage):
    """Images and renditions: public addresses without a signature, under ``public_url``
    when one is given (nginx or a CDN in front of the bucket)."""

    def __init__(self, public_url="", **kwargs):
        self.public_url = public_url
        super().__init__(**kwargs)

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.public_url:
            return self.public_url.rstrip("/") + "/" + filepath_to_uri(name).lstrip("/")
        return super().url(name, parameters, expire, http_method)


class PrivateObjectStorage(S3Storage):
    """Private files: no public ACL; a URL, if anything asks for one, is signed and short-lived."""

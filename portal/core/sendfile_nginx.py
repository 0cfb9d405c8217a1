"""Documents sent by nginx after Django has checked them (``SENDFILE_BACKEND`` in production).

Wagtail serves a document through its view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which
checks the collection's privacy and then calls this backend with the file's path. The answer
carries no bytes, only ``X-Accel-Redirect`` to nginx's internal location for the media folder
(``PORTAL_X_ACCEL_MEDIA_URL``, deploy/nginx.conf), so a worker is not held for the download. Wagtail
sets Content-Type, Content-Disposition and Content-Length on it; nginx keeps them.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def sendfile(request, filename, **kwargs):
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = Path(filename).resolve().relative_to(root)
    except ValueError as exc:  # only media files have an internal address in nginx
        raise Http404("Not a media file.") from exc
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.PORTAL_X_ACCEL_MEDIA_URL + quote(relative.as_posix())
    return response

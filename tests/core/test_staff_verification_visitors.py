"""The second-factor check costs a visitor without a session nothing (check-ins under a crowd)."""

import pytest
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject

from portal.core.security import StaffVerificationMiddleware


def test_a_visitor_without_a_session_cookie_is_not_looked_up(rf, settings):
    settings.PORTAL_OTP_REQUIRED = True
    request = rf.post("/c/ABCDEFGHJKMNPQRSTUVWXY", {"full_name": "Lê Văn"})
    request.user = SimpleLazyObject(lambda: pytest.fail("the user was looked up"))
    response = StaffVerificationMiddleware(lambda r: HttpResponse("ok"))(request)
    assert response.status_code == 200

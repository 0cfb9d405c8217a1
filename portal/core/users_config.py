"""Wagtail's users app with the portal's user and group screens, installed in ``INSTALLED_APPS``
in place of ``wagtail.users`` (Wagtail's documented way to replace its user viewsets).

Kept apart from ``portal.core.users``, which needs the models: Django imports this module while it
is still loading the apps.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersConfig(WagtailUsersAppConfig):
    """Nobody who is not a superuser grants what they do not hold; every account change is
    audited (``portal.core.users``)."""

    user_viewset = "portal.core.users.UserViewSet"
    group_viewset = "portal.core.users.GroupViewSet"

    def ready(self):
        super().ready()
        from portal.core.users import connect_signals

        connect_signals()

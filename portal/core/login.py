"""The admin's sign-in form, with every label in the staff member's language.

Wagtail's form redeclares the password field without a label, so Django names it from the field
("Password") in English whatever the language; the label is given here as Django's own form has it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class PortalLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")

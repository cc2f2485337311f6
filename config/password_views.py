"""Forgotten passwords and invitation links: Django's reset views with the project's pages and e-mail.

The confirmation view serves both the reset e-mail and the invitation (cells.logins.services): one token, valid
PASSWORD_RESET_TIMEOUT, used up when the password changes. After setting the password the person is
signed in and lands on their own page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from cells.access.roles import Role, user_role

# The session's backend after the reset (AUTHENTICATION_BACKENDS lists django-axes' first).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class ResetOrInvitationForm(PasswordResetForm):
    """Django's form, but an invited login that has not set a password yet (an unusable one) gets a link
    too: its invitation may have expired, and the page with the expired link sends people here."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())


class PasswordResetView(auth_views.PasswordResetView):
    """Answers the same page whether or not the address has a login; inactive logins get no e-mail."""

    form_class = ResetOrInvitationForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND

    def get_user(self, uidb64):
        """A deactivated login's old invitation or reset link is no longer valid."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set and you are signed in."))
        return response

    def get_success_url(self) -> str:
        if user_role(self.request.user) == Role.CADRE:
            return reverse("assignments:my_visits")
        return reverse("home")

"""Signing in: the password, the second factor (TOTP), a new password when due, staying signed in.

The rules are in ``core/signin.py``; these are their pages. A second factor is an authenticator app
(TOTP, RFC 6238) kept by django-otp; its throttling slows guessing after each wrong code.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_log
from core.forms import Form
from core.models import User
from core.querysets import CHANGE
from core.signin import HAS_TWO_FACTOR, LAST_SEEN, MUST_CHANGE_PASSWORD, two_factor_required

from .generic import scoped_object_or_404


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    """Django's sign-in, plus: a password the validators now refuse must be changed at once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.PASSWORD_CHECK_AT_SIGN_IN:
            try:
                validate_password(form.cleaned_data["password"], form.get_user())
            except ValidationError:
                self.request.session[MUST_CHANGE_PASSWORD] = True
                messages.warning(self.request, "Your password is too easy to guess: choose a new one to go on.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        return response


class CodeForm(Form):
    code = forms.CharField(
        label="Six-digit code",
        max_length=8,
        help_text="The code your authenticator app shows now for RJ Admin.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device: TOTPDevice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != self.device.digits:
            raise ValidationError(f"Enter the {self.device.digits} digits your app shows, without letters.")
        allowed, info = self.device.verify_is_allowed()
        if not allowed:
            wait = ""
            if info and info.get("locked_until"):
                from django.utils import timezone

                seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()))
                wait = f" Wait {seconds} second{'s' if seconds != 1 else ''}, then try the newest code."
            raise ValidationError("Too many wrong codes in a row." + wait)
        if not self.device.verify_token(code):
            raise ValidationError(
                "That code did not match. Enter the newest code; if it still fails, check that your phone's clock "
                "is set automatically."
            )
        return code


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """After the password: the code from the authenticator app."""

    form_class = CodeForm
    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
            if self.device is None:
                # Removed by an administrator since this session began.
                request.session[HAS_TWO_FACTOR] = False
                return redirect(_next_url(request, reverse(settings.LOGIN_REDIRECT_URL)))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": _next_url(self.request, "")}

    def form_valid(self, form):
        otp_login(self.request, self.device)
        return redirect(_next_url(self.request, reverse(settings.LOGIN_REDIRECT_URL)))


def _qr_data_uri(text: str) -> str:
    # A whole SVG document (with its namespace) as a data: URI, which the Content-Security-Policy allows.
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Set up an authenticator app: scan the QR code (or type the key), then enter one code to confirm."""

    form_class = CodeForm
    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
                messages.info(request, "Two-factor sign-in is already on for your account.")
                return redirect("two_factor")
            # One pending device per user, kept across reloads so the QR code stays the same.
            self.device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
            if self.device is None:
                self.device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs):
        key = base64.b32encode(self.device.bin_key).decode().rstrip("=")
        return {
            **super().get_context_data(**kwargs),
            "qr": _qr_data_uri(self.device.config_url),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "required": two_factor_required(self.request.user),
            "next": _next_url(self.request, ""),
        }

    def form_valid(self, form):
        self.device.confirmed = True
        self.device.save(update_fields=["confirmed"])
        otp_login(self.request, self.device)
        self.request.session[HAS_TWO_FACTOR] = True
        audit_log(user=self.request.user, action="two_factor_on", obj=self.request.user)
        messages.success(self.request, "Two-factor sign-in is on. From now on you enter a code after your password.")
        return redirect(_next_url(self.request, reverse("two_factor")))


class TwoFactorView(LoginRequiredMixin, FormView):
    """Your second factor: on or off; turning it off asks for a current code (and is refused where required)."""

    form_class = CodeForm
    template_name = "registration/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "device": self.device,
            "required": two_factor_required(self.request.user),
        }

    def post(self, request, *args, **kwargs):
        if self.device is None or two_factor_required(request.user):
            messages.error(request, "Two-factor sign-in cannot be turned off for your role.")
            return redirect("two_factor")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        TOTPDevice.objects.filter(user=self.request.user).delete()
        self.request.session[HAS_TWO_FACTOR] = False
        audit_log(user=self.request.user, action="two_factor_off", obj=self.request.user)
        messages.info(self.request, "Two-factor sign-in is off: you sign in with your password alone.")
        return redirect("two_factor")


class UserTwoFactorResetView(LoginRequiredMixin, TemplateView):
    """An administrator removes a user's second factor (a lost phone); they set up a new one at next sign-in."""

    template_name = "core/user_two_factor_reset.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.target = scoped_object_or_404(User, request.user, kwargs["pk"], CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "target": self.target,
            "has_device": TOTPDevice.objects.devices_for_user(self.target, confirmed=True).exists(),
            "title": f"Reset the two-factor sign-in of {self.target}",
        }

    def post(self, request, *args, **kwargs):
        removed, _ = TOTPDevice.objects.filter(user=self.target).delete()
        if removed:
            audit_log(user=request.user, action="two_factor_reset", obj=self.target)
            messages.success(
                request,
                f"The two-factor sign-in of {self.target} was removed: they set up a new one when they next sign in.",
            )
        else:
            messages.info(request, f"{self.target} had no two-factor sign-in.")
        return redirect(self.target.get_absolute_url())


class KeepAliveView(LoginRequiredMixin, View):
    """The page's "Stay signed in" button: counts as activity and says how long the session now has."""

    raise_exception = True

    def post(self, request):
        import time

        request.session[LAST_SEEN] = int(time.time())
        return JsonResponse({"expires_in": settings.SESSION_IDLE_TIMEOUT})

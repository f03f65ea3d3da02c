"""Sign-in rules beyond the password: lockouts, the idle timeout, a second factor, a weak password.

- ``AccountLockHandler`` (django-axes' handler): an account is locked from one address after
  ``AXES_FAILURE_LIMIT`` failures, and everywhere after ``AXES_ACCOUNT_FAILURE_LIMIT`` failures from
  any number of addresses (someone guessing one account's password from many machines).
- ``IdleTimeoutMiddleware``: a session idle for ``SESSION_IDLE_TIMEOUT`` seconds is signed out, beside
  the ``SESSION_COOKIE_AGE`` maximum. ``static/js/session_timeout.js`` warns in the page
  ``SESSION_IDLE_WARNING`` seconds before, with a button that keeps the session (``KeepAliveView``).
- ``SignInStepsMiddleware``: after the password, a user with a two-factor device enters its code; a
  user whose role must have one (``TWO_FACTOR_ROLES`` when ``TWO_FACTOR_REQUIRED``) sets one up
  first; a user who signed in with a password the validators now refuse
  (``PASSWORD_CHECK_AT_SIGN_IN``) chooses a new one. Until then only those pages and signing out
  answer.
"""

import time

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Session keys.
LAST_SEEN = "rj_last_seen"
MUST_CHANGE_PASSWORD = "rj_must_change_password"
# Whether the user had a confirmed second factor when they signed in (read once, not every request).
HAS_TWO_FACTOR = "rj_has_two_factor"
# The last-seen time is written at most once a minute: not one session write per request.
LAST_SEEN_RESOLUTION = 60


class AccountLockHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a second, account-wide limit (see the module)."""

    def get_failures(self, request, credentials=None) -> int:
        from_here = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if not username or from_here >= settings.AXES_FAILURE_LIMIT:
            return from_here
        everywhere = (
            AccessAttempt.objects.filter(
                username=username, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(n=Sum("failures_since_start"))["n"]
            or 0
        )
        # The account-wide limit reached counts as this address's limit reached: axes then locks.
        return settings.AXES_FAILURE_LIMIT if everywhere >= settings.AXES_ACCOUNT_FAILURE_LIMIT else from_here


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
        request.session[HAS_TWO_FACTOR] = has_two_factor(user)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class IdleTimeoutMiddleware:
    """Signs out a session idle for longer than ``SESSION_IDLE_TIMEOUT`` seconds (0: never).

    The seconds the session has left go to the page (``request.session_expires_in``, the
    ``session-idle`` meta tag) and to every response (the ``X-Session-Expires-In`` header, for htmx),
    so the warning in the page counts down from the server's clock and never outlives the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.SESSION_IDLE_TIMEOUT
        user = getattr(request, "user", None)
        if not (timeout and user is not None and user.is_authenticated and "_auth_user_id" in request.session):
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and now - last_seen > timeout:
            return self.signed_out(request, timeout)
        # Background polls (the jobs page while a run is live) are not activity.
        if not request.headers.get("X-Background") and (last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION):
            request.session[LAST_SEEN] = last_seen = now
        request.session_expires_in = timeout - (now - (last_seen or now))
        response = self.get_response(request)
        expires_in = timeout - (int(time.time()) - request.session.get(LAST_SEEN, now))
        response["X-Session-Expires-In"] = str(max(0, expires_in))
        return response

    @staticmethod
    def signed_out(request, timeout):
        logout(request)
        minutes = max(1, round(timeout / 60))
        text = f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} without activity."
        if _wants_json(request):
            return JsonResponse({"detail": text}, status=401)
        messages.info(request, text)
        login = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        return redirect(login)


def two_factor_required(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED) and user.role in settings.TWO_FACTOR_ROLES


def has_two_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


# Paths that always answer: signing in and out, static files, the health checks.
_OPEN_PREFIXES = ("/static/", "/healthz", "/readyz")


class SignInStepsMiddleware:
    """Holds a signed-in user at the next sign-in step (see the module); after OTPMiddleware.

    While a step is pending, only that step's page, signing in and signing out answer: a password
    alone does not reach even the password-change page when a second factor is due.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            step = self.pending_step(request, user)
            if step:
                url_name, text = step
                url = reverse(url_name)
                if request.path not in (url, reverse("login"), reverse("logout")):
                    if _wants_json(request):
                        return JsonResponse({"detail": text}, status=403)
                    return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def pending_step(request, user):
        if not user.is_verified():
            if request.session.get(HAS_TWO_FACTOR):
                return "two_factor_verify", "Enter the code from your authenticator app first."
            if two_factor_required(user):
                return "two_factor_setup", "Set up two-factor sign-in first."
        if request.session.get(MUST_CHANGE_PASSWORD):
            return "password_change", "Choose a new password first."
        return None

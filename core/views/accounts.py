"""Account pages: an administrator sets a user's password; each user manages their own API token."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from rest_framework.authtoken.models import Token

from core.models import User
from core.querysets import CHANGE

from .generic import scoped_object_or_404


class UserSetPasswordView(LoginRequiredMixin, FormView):
    """Administrators set a new password for a user (there is no e-mail reset in a closed network)."""

    form_class = SetPasswordForm
    template_name = "core/user_password.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.target = scoped_object_or_404(User, request.user, kwargs["pk"], CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.target
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.target
        context["title"] = f"Set a new password for {self.target}"
        return context

    def form_valid(self, form):
        form.save()
        messages.success(self.request, f"The password of {self.target} was changed. Tell them in person or by phone.")
        return redirect(self.target.get_absolute_url())


class ApiTokenView(LoginRequiredMixin, TemplateView):
    """Your API token: shown once when made; making a new one revokes the old."""

    template_name = "core/api_token.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_token"] = Token.objects.filter(user=self.request.user).exists()
        context["new_token"] = self.request.session.pop("new_api_token", None)
        return context

    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "revoke":
            messages.info(request, "Your API token was revoked.")
        else:
            token = Token.objects.create(user=request.user)
            request.session["new_api_token"] = token.key
            messages.success(request, "A new API token was made. Copy it now: it is shown only once.")
        return redirect("core:api_token")

"""API permission: signed in; writes only where the model's scope rule allows the action."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.querysets import ADD, CHANGE, can


class ScopedPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            # No handler (DELETE everywhere): let the view answer 405 to every signed-in user alike.
            return True
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None or not hasattr(model, "scope_q"):
            return True
        action = ADD if request.method == "POST" else CHANGE
        return can(user, model, action)

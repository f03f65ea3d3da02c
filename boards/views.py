"""Views of the reparation boards beyond the declarations' generic pages."""

from __future__ import annotations

from core.views.generic import ObjectDetailView, ObjectEditView, ServiceErrorMixin


class ServiceEditView(ServiceErrorMixin, ObjectEditView):
    """An add or edit page whose form saves through a service."""


class ReadOnlyDetailView(ObjectDetailView):
    """A record a service writes: the header offers no Edit."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = False
        return context

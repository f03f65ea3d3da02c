"""Search across records, through the same scope as every list (apps may add their own sources)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.views.generic import TemplateView

from core.models import CourtCase, Facility, Offender, Organization
from core.querysets import VIEW

MAX_PER_KIND = 10

SOURCES = [
    # label, queryset, fields, the text shown for a hit
    ("Offenders", Offender.objects.all(), ("doc_id", "last_name", "first_name"), str),
    ("Court cases", CourtCase.objects.select_related("offender"), ("case_number", "offender__doc_id"), str),
    ("Facilities", Facility.objects.all(), ("name", "code", "town"), str),
    ("Partner organizations", Organization.objects.all(), ("name", "town", "county"), str),
]


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        groups = []
        if len(query) >= 2:
            for label, queryset, fields, text in SOURCES:
                condition = Q()
                for field in fields:
                    condition |= Q(**{f"{field}__icontains": query})
                hits = list(queryset.restrict(self.request.user, VIEW).filter(condition)[: MAX_PER_KIND + 1])
                if hits:
                    groups.append(
                        {
                            "label": label,
                            "hits": [(text(h), h.get_absolute_url()) for h in hits[:MAX_PER_KIND]],
                            "more": len(hits) > MAX_PER_KIND,
                        }
                    )
        context.update(query=query, groups=groups, title="Search")
        return context

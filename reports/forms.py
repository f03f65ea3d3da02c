"""Forms of the reports app: photo upload and review, brochure text and photos, historical baselines."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.forms import DateInput, Form, ScopedModelForm
from core.registry import registry

from . import conf
from .models import BrochureBlock, FigureBaseline, Photo
from .selectors import private_text_problems


def _public_text(value: str) -> str:
    problems = private_text_problems(value)
    if problems:
        raise ValidationError(" ".join(problems) + " Public text never names an offender or shows a DOC ID.")
    return value


class PhotoUploadForm(Form):
    image = forms.FileField(
        label="Photo",
        help_text=f"JPEG, PNG, WebP or GIF, up to {conf.photo_max_bytes() // (1024 * 1024)} MB. "
        "Location and camera details are removed.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    alt_text = forms.CharField(
        label="Description",
        max_length=250,
        help_text="What the photo shows, for people who cannot see it. No one's name.",
    )
    caption = forms.CharField(
        max_length=200, required=False, help_text="Shown under the photo if it is made public. No one's name."
    )

    def clean_alt_text(self):
        return _public_text(self.cleaned_data["alt_text"])

    def clean_caption(self):
        return _public_text(self.cleaned_data["caption"])


class PhotoReviewForm(Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve for the public pages and the brochure"), ("reject", "Keep it private")],
        widget=forms.RadioSelect,
    )
    consent_confirmed = forms.BooleanField(
        label="I confirm that everyone who can be recognized in this photo gave written consent, and that "
        "no offender's face, name or DOC ID can be seen.",
        required=False,
    )
    alt_text = forms.CharField(label="Description", max_length=250)
    caption = forms.CharField(max_length=200, required=False)
    note = forms.CharField(label="Review note", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("consent_confirmed"):
            self.add_error("consent_confirmed", "Confirm consent before the photo is made public.")
        return data

    def clean_alt_text(self):
        return _public_text(self.cleaned_data["alt_text"])

    def clean_caption(self):
        return _public_text(self.cleaned_data["caption"])


class BrochurePhotosForm(Form):
    photos = forms.ModelMultipleChoiceField(
        label="Photos printed on the brochure",
        queryset=Photo.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Approved photos only; the brochure has room for {conf.BROCHURE_PHOTOS}.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = Photo.objects.public().order_by("-reviewed_at", "-pk")
        self.fields["photos"].label_from_instance = lambda p: str(p)

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > conf.BROCHURE_PHOTOS:
            raise ValidationError(f"Choose at most {conf.BROCHURE_PHOTOS} photos.")
        return photos


class BrochureBlockForm(ScopedModelForm):
    class Meta:
        model = BrochureBlock
        fields = ["title", "body", "page", "order", "show"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean_title(self):
        return _public_text(self.cleaned_data["title"])

    def clean_body(self):
        return _public_text(self.cleaned_data["body"])


def _figure_choices():
    entries = sorted(registry.figures.values(), key=lambda e: (not e.cumulative, e.order, e.slug))
    return [("", "Choose a figure")] + [
        (e.slug, f"{e.label}{' (' + e.unit + ')' if e.unit else ''}{' · to date' if e.cumulative else ''}")
        for e in entries
    ]


class FigureBaselineForm(ScopedModelForm):
    figure = forms.ChoiceField(
        choices=_figure_choices,
        help_text="The figure the total adds to. Its public number becomes this total plus RJ Admin's records.",
    )

    class Meta:
        model = FigureBaseline
        fields = ["figure", "value", "as_of", "source"]
        widgets = {"as_of": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.figure not in registry.figures:
            # A baseline recorded for a figure whose app is not installed (yet) stays editable.
            field = self.fields["figure"]
            field.choices = [*field.choices, (self.instance.figure, self.instance.figure)]

    def save(self, commit=True):
        baseline = super().save(commit=False)
        if self.user is not None:
            baseline.entered_by = self.user
        if commit:
            baseline.save()
        return baseline

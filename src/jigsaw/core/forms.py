from __future__ import annotations

import calendar

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import Q

from .forms_renderer import Form, ModelForm
from .models import Agency, ApiToken, Partnership, Person, Sector, Theme
from .related import scope_form_field
from .scoping import Access, Role


class PartnershipFormBase:
    """A form inside one partnership. It takes the partnership and the viewer's access (the
    base views pass both), and every related-record choice it shows is built through the
    scoping helper, so another partnership's record and a missing one get the same answer.
    A form narrows a choice further by declaring the field's queryset (active themes only,
    this framework's questions); the scoping is applied on top."""

    def __init__(self, *args, partnership: Partnership, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership, self.access = partnership, access
        instance = getattr(self, "instance", None)
        if instance is not None and _has_field(instance, "partnership") and instance.partnership_id is None:
            instance.partnership = partnership  # so the model's own checks can read it while the form validates
        for name, field in self.fields.items():
            scope_form_field(field, access, current=self._current_ids(name))

    def offer(self, name: str, queryset) -> None:
        """Narrow one related choice (the groups a chair records for): still scoped, still the
        one answer for an id outside it."""
        self.fields[name].queryset = queryset
        scope_form_field(self.fields[name], self.access, current=self._current_ids(name))

    def _current_ids(self, name: str) -> list:
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None or not _has_field(instance, name):
            return []
        field = instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(instance, name).values_list("pk", flat=True))
        return [getattr(instance, field.attname, None)] if field.is_relation else []


def _has_field(instance, name: str) -> bool:
    return any(field.name == name for field in instance._meta.get_fields())


class PartnershipForm(PartnershipFormBase, Form):
    pass


class PartnershipModelForm(PartnershipFormBase, ModelForm):
    pass


class PasswordLinkForm(PasswordResetForm):
    """Password reset that also reaches users who have never set a password: a new sign-in
    gets its first password through the same link."""

    def get_users(self, email):
        from .models import User

        return User.objects.filter(email__iexact=email, is_active=True)


class SignInForm(Form):
    username = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid": "Enter the email address and password of your Jigsaw account. The password is case-sensitive.",
        "inactive": "This account has been switched off. Ask your partnership's business unit to switch it on again.",
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = (self.cleaned_data.get("username") or "").lower()
        password = self.cleaned_data.get("password")
        if email and password:
            self.cleaned_data["username"] = email
            # Lockout is handled by axes inside authenticate(): it raises before we get here.
            self.user = authenticate(self.request, username=email, password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if not self.user.is_active:
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
            from .services import sign_in_refusal

            refusal = sign_in_refusal(self.user)
            if refusal is not None:
                raise forms.ValidationError(refusal, code="password_not_allowed")
        return self.cleaned_data


class TokenForm(Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows for Jigsaw.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-5"}
        ),
    )

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is 6 digits, like 123456.")
        return token


class PartnershipSettingsForm(ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "area",
            "financial_year_start_month",
            "require_two_factor_for_business_unit",
            "sign_in_providers",
            "allow_password_sign_in",
            "front_door_name",
            "front_door_in_hours",
            "front_door_out_of_hours",
            "logo",
        ]
        labels = {"financial_year_start_month": "Month the financial year starts (1 to 12)"}

    sign_in_providers = forms.MultipleChoiceField(
        label="Sign in with your organisation's account",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff whose email address one of these has verified can sign in with it. "
        "Jigsaw's operator sets up the organisations offered here.",
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        configured = settings.OIDC_PROVIDERS
        if not configured:
            # Nothing to choose, and passwords are the only way in.
            del self.fields["sign_in_providers"], self.fields["allow_password_sign_in"]
            return
        chosen = list(self.instance.sign_in_providers or [])
        self.fields["sign_in_providers"].choices = [(key, config["name"]) for key, config in configured.items()] + [
            (key, f"{key} (no longer set up: untick it)") for key in chosen if key not in configured
        ]


class AgencyForm(PartnershipModelForm):
    class Meta:
        model = Agency
        fields = ["name", "sector", "statutory_role", "locality", "organisation"]
        help_texts = {"locality": "For example North Durham, or leave blank if it works across the area."}


class PersonForm(PartnershipModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "job_title", "agency", "left_on"]


class GrantAccessForm(PartnershipForm):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        help_text="For an agency lead: the agency whose drafts and returns they look after. Leave blank to use the person's own agency.",
    )


class AgencyFilterForm(Form):
    q = forms.CharField(label="Name contains", required=False)
    sector = forms.ChoiceField(choices=[("", "Any sector"), *Sector.choices], required=False)

    def apply(self, queryset):
        if self.cleaned_data.get("q"):
            queryset = queryset.filter(name__icontains=self.cleaned_data["q"])
        if self.cleaned_data.get("sector"):
            queryset = queryset.filter(sector=self.cleaned_data["sector"])
        return queryset


class PersonFilterForm(Form):
    q = forms.CharField(label="Name, email or job title contains", required=False)

    def apply(self, queryset):
        term = self.cleaned_data.get("q")
        if term:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(email__icontains=term) | Q(job_title__icontains=term)
            )
        return queryset.select_related("agency")


class AuditFilterForm(Form):
    q = forms.CharField(label="Record or change contains", required=False)
    actor = forms.CharField(label="Changed by (email contains)", required=False)
    record_type = forms.ChoiceField(label="Kind of record", required=False)
    since = forms.DateField(label="Changed on or after", required=False)
    until = forms.DateField(label="Changed on or before", required=False)

    def __init__(self, *args, record_types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Any"), *record_types]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date must be the same as or after the start date.")
        return data


class ApiTokenForm(ModelForm):
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        initial=ApiToken.DEFAULT_DAYS,
        widget=forms.RadioSelect,
        choices=[(7, "7 days"), (30, "30 days"), (90, "90 days"), (180, "6 months"), (365, "1 year")],
        help_text="The token stops working then; create a new one before it does. A year at most.",
    )

    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": "Token name"}


class ThemeForm(ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "is_active"]
        help_texts = {"name": "A short name practitioners recognise, for example 'Professional curiosity'."}


class RegisterUploadForm(Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV or Excel (.xlsx) file of up to 5 MB. The first row names the columns, as in the template.",
    )


class ExportZipUploadForm(Form):
    file = forms.FileField(
        label="Export zip",
        help_text="A zip exported from Jigsaw ('Export everything'): each register in it is imported in order.",
    )


class PartnershipStartForm(Form):
    """A new partnership, as the site administrator starts it (the same as `jigsaw partnership create`)."""

    name = forms.CharField(
        label="Name", max_length=200, help_text="For example 'Durham Safeguarding Children Partnership'."
    )
    slug = forms.SlugField(label="Short name", max_length=50, help_text="Used in web addresses, for example 'durham'.")
    area = forms.CharField(label="Area", max_length=200, help_text="The local authority area it covers.")
    financial_year_start_month = forms.TypedChoiceField(
        label="Financial year starts in",
        coerce=int,
        initial=4,
        choices=[(n, calendar.month_name[n]) for n in range(1, 13)],
    )
    business_unit_name = forms.CharField(label="First business unit member's full name", max_length=200)
    business_unit_email = forms.EmailField(
        label="Their email address", help_text="They are emailed a link to set a password."
    )

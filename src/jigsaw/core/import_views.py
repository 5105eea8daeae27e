"""Pages for the one import pattern (jigsaw.core.imports), the export zip and starting a partnership.

A register's page takes a file, checks it and shows the preview: every bad row, every unknown
name once, the columns to map when the headings differ, and what would be added. The file is kept
(under the partnership's folder, named by its hash) until the business unit confirms; confirming
checks it again and imports it all or nothing.
"""

from __future__ import annotations

import hashlib
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from . import imports, services
from .forms import ExportZipUploadForm, PartnershipStartForm, RegisterUploadForm
from .generic import PartnershipPage, SignedInView
from .models import RegisterImport
from .scoping import Role

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})
STORED = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")


def _store(partnership, file_name: str, content: bytes) -> str:
    extension = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
    name = f"{hashlib.sha256(content).hexdigest()}.{extension}"
    path = f"register-imports/{partnership.pk}/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return name


def _stored(partnership, name: str) -> bytes:
    """A kept file, by the name the preview gave it; only this partnership's folder is read."""
    if not STORED.match(name or ""):
        raise ValidationError({"file": "Upload the file again: the one checked is no longer held."})
    path = f"register-imports/{partnership.pk}/{name}"
    if not default_storage.exists(path):
        raise ValidationError({"file": "Upload the file again: the one checked is no longer held."})
    with default_storage.open(path, "rb") as stored:
        return stored.read()


class ImportList(PartnershipPage):
    """Every register, what it holds, its template and its import; the export of them all."""

    roles = BUSINESS_UNIT
    model = RegisterImport
    template_name = "core/import_list.html"
    page_title = "Imports and export"

    def get_breadcrumbs(self):
        return [self.home_crumb(), (self.page_title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["registers"] = [
            {"importer": importer, "count": importer.count(self.partnership)} for importer in imports.importers()
        ]
        context["batches"] = RegisterImport.objects.restrict(self.access).select_related("imported_by")[:20]
        return context


class _RegisterMixin:
    roles = BUSINESS_UNIT

    def dispatch(self, request, *args, **kwargs):
        self.importer = imports.get(kwargs["register"])
        if self.importer is None:
            raise Http404("No such register.")
        return super().dispatch(request, *args, **kwargs)


class ImportTemplate(_RegisterMixin, PartnershipPage):
    """The register's template: its column headings, ready to fill in."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(imports.to_csv(self.importer), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.importer.key}-template.csv"'
        return response


class ImportRegister(_RegisterMixin, PartnershipPage):
    """Upload, preview (with the column mapping when the headings differ), confirm."""

    model = RegisterImport
    template_name = "core/import_register.html"

    def get(self, request, *args, **kwargs):
        if self.importer.upload_page:  # asked for here only after the role is checked
            return HttpResponseRedirect(self.partnership_url(self.importer.upload_page))
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Import {self.importer.title.lower()}"

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            ("Imports and export", self.partnership_url("core:imports")),
            (self.get_page_title(), None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RegisterUploadForm())
        context["importer"] = self.importer
        context["template_url"] = self.partnership_url("core:import-template", self.importer.key)
        context["held"] = self.importer.count(self.partnership)
        return context

    def post(self, request, *args, **kwargs):
        if self.importer.upload_page:
            return HttpResponseRedirect(self.partnership_url(self.importer.upload_page))
        form = RegisterUploadForm(request.POST or None, request.FILES or None)
        mapping = {
            column.name: request.POST.get(f"map-{index}", "")
            for index, column in enumerate(self.importer.columns)
            if request.POST.get(f"map-{index}")
        }
        try:
            if "stored" in request.POST:
                stored = request.POST["stored"]
                content = _stored(self.partnership, stored)
                file_name = request.POST.get("file_name", stored)[:200]
            else:
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                upload = form.cleaned_data["file"]
                content = upload.read(imports.REGISTER_TABLE.max_bytes + 1)
                file_name = upload.name
                stored = None
            if "confirm" in request.POST:
                batch = imports.run(
                    self.importer,
                    actor=request.user,
                    partnership=self.partnership,
                    file_name=file_name,
                    content=content,
                    mapping=mapping or None,
                    request=request,
                )
                messages.success(
                    request,
                    f"{self.importer.title}: {batch.added} added, {batch.already_held} already held. Nothing else changed.",
                )
                return HttpResponseRedirect(self.partnership_url("core:partnership"))
            checked = imports.check(self.importer, self.partnership, file_name, content, mapping=mapping or None)
        except ValidationError as error:
            form = RegisterUploadForm()
            for message in (
                error.message_dict.get("file", error.messages) if hasattr(error, "error_dict") else error.messages
            ):
                form.add_error("file", message)
            return self.render_to_response(self.get_context_data(form=form))
        stored = stored or _store(self.partnership, file_name, content)
        return self.render_to_response(
            self.get_context_data(
                checked=checked,
                stored=stored,
                file_name=file_name,
                preview_rows=[[values["_row"], *values["_cells"]] for values in checked.new[:20]],
                mapping_rows=[
                    {
                        "index": index,
                        "column": column,
                        "chosen": mapping.get(column.name)
                        or (checked.headings[checked.mapping[column.name]] if column.name in checked.mapping else ""),
                    }
                    for index, column in enumerate(self.importer.columns)
                ],
            )
        )


class ExportZip(PartnershipPage):
    """Every register back in its own template, one zip: the partnership's data is never locked in."""

    roles = BUSINESS_UNIT

    def get(self, request, *args, **kwargs):
        content = imports.export_zip(actor=request.user, partnership=self.partnership)
        response = HttpResponse(content, content_type="application/zip")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="{self.partnership.slug}-export-{day}.zip"'
        return response


class ImportZip(PartnershipPage):
    """An export zip brought back in (a partnership moving between hostings): every register in
    it, in order, all of them or none."""

    roles = BUSINESS_UNIT
    model = RegisterImport
    template_name = "core/form.html"
    page_title = "Import an export zip"

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            ("Imports and export", self.partnership_url("core:imports")),
            (self.page_title, None),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExportZipUploadForm())
        return context

    def post(self, request, *args, **kwargs):
        form = ExportZipUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            batches = import_zip(
                actor=request.user,
                partnership=self.partnership,
                content=form.cleaned_data["file"].read(),
                request=request,
            )
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"Imported {sum(b.added for b in batches):,} records from {len(batches)} registers.")
        return HttpResponseRedirect(self.partnership_url("core:imports"))


def import_zip(*, actor, partnership, content: bytes, request=None) -> list[RegisterImport]:
    """Each register of an export zip through its importer, in the checklist's order, in one
    transaction: a bad file in the zip is named and nothing of the zip is saved."""
    members = imports.zip_members(content)
    if not members:
        raise ValidationError({"file": "The zip holds no Jigsaw register: export one from 'Imports and export'."})
    batches = []
    with transaction.atomic():
        for importer, name, data in members:
            try:
                batches.append(
                    imports.run(
                        importer, actor=actor, partnership=partnership, file_name=name, content=data, request=request
                    )
                )
            except ValidationError as error:
                messages_ = (
                    error.message_dict.get("file", error.messages) if hasattr(error, "error_dict") else error.messages
                )
                raise ValidationError({"file": f"{name}: {' '.join(messages_)}"}) from error
    return batches


# The site administrator (the hosting organisation): partnerships, never their records ----------


class _SiteAdminMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied("Only a site administrator may start partnerships.")
        return super().dispatch(request, *args, **kwargs)


class SitePartnerships(_SiteAdminMixin, SignedInView):
    template_name = "core/site_partnerships.html"
    page_title = "Partnerships on this site"
    site_admin_only = True

    def get_context_data(self, **kwargs):
        from .queries import partnerships_for_site_admin

        return {**super().get_context_data(**kwargs), "partnerships": partnerships_for_site_admin(self.request.access)}


class SitePartnershipCreate(_SiteAdminMixin, SignedInView):
    template_name = "core/form.html"
    page_title = "Start a partnership"
    site_admin_only = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PartnershipStartForm())
        context["breadcrumbs"] = [("Partnerships", reverse("core:site-partnerships")), (self.page_title, None)]
        return context

    def post(self, request, *args, **kwargs):
        form = PartnershipStartForm(request.POST)
        if form.is_valid():
            try:
                partnership = services.partnership_start(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"{partnership.name} started. {form.cleaned_data['business_unit_email']} has been emailed a link to set a password.",
                )
                return HttpResponseRedirect(reverse("core:site-partnerships"))
        return self.render_to_response(self.get_context_data(form=form))

"""The one upload policy: which kinds of file each file field takes, how large, and how a file
is shown to be what it claims by its content, never by its name.

- a PDF is opened and parsed (pypdf) and must have a page;
- Word, Excel and PowerPoint files are zips whose [Content_Types].xml names the main part of
  that kind (a macro-enabled or renamed file has another), checked as safely as an import;
- OpenDocument files are zips whose first part names their type; older Office files carry the
  compound-file signature; PNG and JPEG images their signatures;
- text (.txt, .csv) decodes as text, holds no NUL and no markup.
Whatever the kind, markup a browser would run (HTML, SVG, script) near the start of the file
refuses it: that is how a `%PDF` + HTML polyglot is caught.

Files are served back only as attachments, with nosniff and a sandboxing Content Security
Policy (`attachment_response`), so even a file that slipped through would not run as a page.
The request body cap (`core.middleware.RequestSizeLimitMiddleware`) sits just above the largest
size here.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .tables import MB, TableLimits, check_zip, decode_text

# Markup a browser would render or run, wherever a sniffing browser or a polyglot puts it.
MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|img|xml-stylesheet)\b|javascript:",
    re.IGNORECASE,
)
SNIFF_BYTES = 64 * 1024
OOXML_LIMITS = TableLimits(max_bytes=50 * MB, max_rows=0, max_expanded=250 * MB, max_members=2000, max_ratio=200)


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    content_type: str
    check: str  # the name of the content check below


PDF = Kind("PDF", (".pdf",), "application/pdf", "pdf")
DOCX = Kind(
    "Word document", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"
)
XLSX = Kind("Excel workbook", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml")
PPTX = Kind(
    "PowerPoint presentation",
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ooxml",
)
ODT = Kind("OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text", "odf")
ODS = Kind("OpenDocument spreadsheet", (".ods",), "application/vnd.oasis.opendocument.spreadsheet", "odf")
DOC = Kind("Word 97-2003 document", (".doc",), "application/msword", "ole")
XLS = Kind("Excel 97-2003 workbook", (".xls",), "application/vnd.ms-excel", "ole")
PPT = Kind("PowerPoint 97-2003 presentation", (".ppt",), "application/vnd.ms-powerpoint", "ole")
PNG = Kind("PNG image", (".png",), "image/png", "png")
JPEG = Kind("JPEG image", (".jpg", ".jpeg"), "image/jpeg", "jpeg")
TEXT = Kind("text file", (".txt",), "text/plain", "text")
CSV = Kind("CSV file", (".csv",), "text/csv", "text")

# The main part each Office Open XML kind declares in [Content_Types].xml.
OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class UploadPolicy:
    """What one file field takes."""

    what: str  # "The paper", "Evidence file", … : how messages name the file
    kinds: tuple[Kind, ...]
    max_bytes: int

    @property
    def size_label(self) -> str:
        return f"{self.max_bytes // MB} MB"

    @property
    def kinds_label(self) -> str:
        labels = [kind.label for kind in self.kinds]
        return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]

    @property
    def help_text(self) -> str:
        return f"{self.kinds_label}; {self.size_label} at most."

    def kind_of(self, name: str) -> Kind | None:
        """The kind a stored file's name says it is (it was checked by content when uploaded)."""
        extension = PurePath(name or "").suffix.lower()
        return next((k for k in self.kinds if extension in k.extensions), None)

    def check(self, upload) -> Kind:
        """The file's kind, shown by its content; a ValidationError (one message, naming the file) otherwise."""
        name = PurePath(getattr(upload, "name", "") or "").name
        extension = PurePath(name).suffix.lower()
        kind = self.kind_of(name)
        if kind is None:
            raise ValidationError(
                f"{name or 'The file'} is not a kind of file Jigsaw accepts here: upload a {self.kinds_label}."
            )
        size = upload.size if getattr(upload, "size", None) is not None else None
        if size is not None and size > self.max_bytes:
            raise ValidationError(f"{name} is larger than {self.size_label}. Upload a smaller file.")
        content = _read(upload, self.max_bytes)
        if len(content) > self.max_bytes:
            raise ValidationError(f"{name} is larger than {self.size_label}. Upload a smaller file.")
        if not content:
            raise ValidationError(f"{name} is empty.")
        if MARKUP.search(content if kind.check == "text" else content[:SNIFF_BYTES]):
            raise ValidationError(
                f"{name} holds web page markup (HTML, SVG or script), which Jigsaw does not accept in a {kind.label}."
            )
        problem = CHECKS[kind.check](content, kind)
        if problem:
            raise ValidationError(f"{name} is named {extension} but is not a {kind.label}: {problem}.")
        return kind


def _read(upload, limit: int) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return content


def _check_pdf(content: bytes, kind: Kind) -> str:
    if not content.startswith(b"%PDF-"):
        return "it does not start as a PDF does"
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is refused, not logged
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "it is password-protected; upload it without a password"
        if len(reader.pages) < 1:
            return "it has no pages"
        reader.pages[0].mediabox  # noqa: B018 (reading the first page's box parses it)
    except Exception:  # pypdf raises many kinds for a file that is not a PDF
        return "it cannot be opened as a PDF"
    return ""


def _check_ooxml(content: bytes, kind: Kind) -> str:
    if not content.startswith(b"PK\x03\x04"):
        return "it is not an Office file"

    def refuse(message):
        raise ValidationError(message)

    try:
        archive = check_zip(content, OOXML_LIMITS, refuse, what=kind.label)
        types = SafeElementTree.fromstring(archive.read("[Content_Types].xml"))
    except ValidationError as error:
        return error.messages[0].rstrip(".")
    except Exception:
        return "its parts cannot be read"
    names = set(archive.namelist())
    for override in types:
        if override.tag.endswith("Override") and override.get("ContentType") == OOXML_MAIN[kind]:
            if override.get("PartName", "").lstrip("/") in names:
                return ""
    return f"it has no {kind.label.split()[0]} content"


def _check_odf(content: bytes, kind: Kind) -> str:
    # The OpenDocument format puts an uncompressed `mimetype` part first, naming the type.
    if not content.startswith(b"PK\x03\x04") or content[30:38] != b"mimetype":
        return "it is not an OpenDocument file"
    if content[38 : 38 + len(kind.content_type)] != kind.content_type.encode():
        return f"it is not {kind.label}"
    return ""


def _check_ole(content: bytes, kind: Kind) -> str:
    return "" if content.startswith(OLE_SIGNATURE) else "it does not have an Office 97-2003 file's signature"


def _check_png(content: bytes, kind: Kind) -> str:
    return "" if content.startswith(b"\x89PNG\r\n\x1a\n") else "it does not have a PNG image's signature"


def _check_jpeg(content: bytes, kind: Kind) -> str:
    return "" if content.startswith(b"\xff\xd8\xff") else "it does not have a JPEG image's signature"


def _check_text(content: bytes, kind: Kind) -> str:
    if content[:4] == b"PK\x03\x04" or content.startswith((b"%PDF", OLE_SIGNATURE)):
        return "it is a document or archive, not text"

    def refuse(message):
        raise ValidationError(message)

    try:
        decode_text(content, refuse)
    except ValidationError:
        return "it holds characters no text file holds"
    return ""


CHECKS = {
    "pdf": _check_pdf,
    "ooxml": _check_ooxml,
    "odf": _check_odf,
    "ole": _check_ole,
    "png": _check_png,
    "jpeg": _check_jpeg,
    "text": _check_text,
}


# Every file field's policy, and every importer's table limits: one place to read them all. ---

PAPERS = UploadPolicy("The paper", (PDF, DOCX, XLSX, PPTX), 20 * MB)
LEARNING_EVIDENCE = UploadPolicy(
    "Evidence file", (PDF, DOCX, DOC, ODT, XLSX, XLS, ODS, CSV, TEXT, PPTX, PPT, PNG, JPEG), 10 * MB
)
SELF_ASSESSMENT_EVIDENCE = UploadPolicy(
    "Evidence file", (PDF, DOCX, ODT, XLSX, ODS, CSV, TEXT, PPTX, PNG, JPEG), 5 * MB
)
PROCEDURE_ATTACHMENTS = UploadPolicy("The attachment", (PDF, DOCX), 10 * MB)
# Shown in the header of every page: small, and only the two image kinds checked by content.
PARTNERSHIP_LOGO = UploadPolicy("The logo", (PNG, JPEG), 1 * MB)
FILE_POLICIES = (PAPERS, LEARNING_EVIDENCE, SELF_ASSESSMENT_EVIDENCE, PROCEDURE_ATTACHMENTS, PARTNERSHIP_LOGO)

# A platform's export of a large partnership's five years is about 300,000 rows and 30 MB.
COMPLETIONS_TABLE = TableLimits(max_bytes=50 * MB, max_rows=1_000_000)
RESTRAINT_TABLE = TableLimits(max_bytes=2 * MB, max_rows=20_000, formats=("csv",))
RETURNS_TABLE = TableLimits(max_bytes=5 * MB, max_rows=5_000, max_expanded=50 * MB)
# A register a partnership brings in (jigsaw.core.imports): a few thousand rows at most.
REGISTER_TABLE = TableLimits(max_bytes=5 * MB, max_rows=20_000, max_expanded=50 * MB)
TABLE_LIMITS = (COMPLETIONS_TABLE, RESTRAINT_TABLE, RETURNS_TABLE, REGISTER_TABLE)

# The largest body any page accepts: the largest upload, plus room for the form around it.
MAX_REQUEST_BYTES = max(limit.max_bytes for limit in (*FILE_POLICIES, *TABLE_LIMITS)) + 1 * MB


def attachment_response(content, *, filename: str, content_type: str = "application/octet-stream"):
    """A stored file served back: always a download, never sniffed, and sandboxed should a
    browser render it anyway (no script, no same-origin access)."""
    if isinstance(content, (bytes, memoryview)):
        response = HttpResponse(bytes(content), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response

"""One safe reader for uploaded tables (CSV or XLSX), used by every importer.

A table comes from someone's spreadsheet, so it is read as hostile until shown otherwise:
- its size is capped before it is decoded or opened;
- a CSV is text: UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or the
  Windows-1252 older platforms export; a NUL anywhere refuses it (no text file holds one, and
  PostgreSQL's text columns cannot store it);
- an XLSX is a zip: before openpyxl opens it, its parts are counted and their declared
  expanded size and compression ratio capped (zipfile stops every part at its declared size,
  so the declaration cannot lie), and a document type declaration, where XML entities hide,
  refuses it; openpyxl then parses it read-only through defusedxml;
- rows are counted as they stream, so a table longer than the importer allows is refused at
  the first row past the limit, not after it has all been read.

Each refusal is a ValidationError with one clear message (keyed by `field`, or unkeyed when
`field` is None), raised from `read_table` or while its rows are being read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class TableLimits:
    """What one importer accepts. Every limit is checked before the work it would bound."""

    max_bytes: int
    max_rows: int
    formats: tuple[str, ...] = ("csv", "xlsx")
    # A real export's XML compresses 5-30 times; the probe's bomb 300 times, most bombs 1,000.
    max_ratio: int = 100
    max_expanded: int = 250 * MB
    max_members: int = 500

    @property
    def size_label(self) -> str:
        return f"{self.max_bytes // MB} MB" if self.max_bytes >= MB else f"{self.max_bytes // 1024} KB"


class _Refusal:
    def __init__(self, field: str | None):
        self.field = field

    def __call__(self, message: str):
        raise ValidationError({self.field: message} if self.field else message)


def read_table(
    file_name: str, source, *, limits: TableLimits, field: str | None = "file"
) -> Iterator[tuple[int, list]]:
    """(row number, cells) for every row, header first. `source` is bytes or a file opened for
    reading in binary. XLSX cells keep their types (dates, numbers); CSV cells are text."""
    refuse = _Refusal(field)
    content = source if isinstance(source, bytes) else _read_capped(source, limits.max_bytes)
    if len(content) > limits.max_bytes:
        refuse(f"The file is larger than {limits.size_label}. Split it into smaller files.")
    extension = (file_name or "").rsplit(".", 1)[-1].lower() if "." in (file_name or "") else ""
    if extension not in limits.formats:
        allowed = " or ".join(f".{name}" for name in limits.formats)
        refuse(f"Upload a {allowed} file: the file must be {_describe(limits.formats)}.")
    is_zip = content[:4] == ZIP_MAGIC
    if extension == "xlsx":
        if not is_zip:
            refuse("The file is named .xlsx but is not an Excel workbook.")
        return _limited(_read_xlsx(content, limits, refuse), limits, refuse)
    if is_zip:
        refuse("The file is named .csv but is not a CSV text file: it looks like a workbook or other archive.")
    return _limited(_read_csv(content, refuse), limits, refuse)


def _describe(formats) -> str:
    names = {"csv": "a CSV text file", "xlsx": "an Excel workbook (.xlsx)"}
    return " or ".join(names[name] for name in formats)


def _read_capped(source, max_bytes: int) -> bytes:
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read(max_bytes + 1)


def _limited(rows, limits: TableLimits, refuse) -> Iterator[tuple[int, list]]:
    # The header is row 1: max_rows counts the rows after it.
    for number, cells in rows:
        if number > limits.max_rows + 1:
            refuse(f"The file has more than {limits.max_rows:,} rows. Split it into smaller files.")
        yield number, cells


def decode_text(content: bytes, refuse) -> str:
    """UTF-16 when it says so with its byte-order mark; otherwise UTF-8 (with or without one), or
    Windows-1252 when it is not UTF-8. A NUL refuses it, in the bytes or in the decoded text."""
    nul = "The file is not a CSV text file (it holds NUL characters): save it from your spreadsheet as 'CSV UTF-8'."
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            refuse("The file says it is UTF-16 text but is not: save it from your spreadsheet as 'CSV UTF-8'.")
    else:
        if b"\x00" in content:
            refuse(nul)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")  # exports from older platforms
    if "\x00" in text:
        refuse(nul)
    return text


def _read_csv(content: bytes, refuse) -> Iterator[tuple[int, list]]:
    text = decode_text(content, refuse)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        refuse(f"Row {reader.line_num}: the CSV cannot be read ({error}).")


def check_zip(content: bytes, limits: TableLimits, refuse, *, what: str = "workbook") -> zipfile.ZipFile:
    """Open an Office file's zip only after its parts, their expanded size and compression and
    its XML prologues are shown safe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        refuse(f"The {what} is damaged and cannot be opened.")
    if len(members) > limits.max_members:
        refuse(f"The {what} holds {len(members)} parts, more than any real file: it is refused for safety.")
    expanded = sum(member.file_size for member in members)
    if expanded > limits.max_expanded:
        refuse(
            f"The {what} expands to {expanded // MB:,} MB, more than {limits.max_expanded // MB} MB: it is refused as a possible zip bomb."
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            refuse(
                f"The {what} is compressed far beyond any real file ({member.file_size // max(member.compress_size, 1):,} to 1): "
                "it is refused as a possible zip bomb."
            )
    try:
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    prologue = part.read(4096).upper()
                # A document type declaration is where entities (external files, billion laughs) hide.
                if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                    refuse(f"The {what} declares XML entities, which real files never do: it is refused for safety.")
        types = archive.read("[Content_Types].xml")
    except KeyError:
        refuse(f"The file is not a real {what}: it has no [Content_Types].xml part.")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        refuse(f"The {what} is damaged and cannot be opened.")
    try:
        SafeElementTree.fromstring(types)
    except Exception:  # defusedxml's refusals and malformed XML alike
        refuse(f"The {what}'s XML is unsafe or damaged.")
    return archive


def _read_xlsx(content: bytes, limits: TableLimits, refuse) -> Iterator[tuple[int, list]]:
    check_zip(content, limits, refuse)  # before openpyxl reads a byte of it
    from openpyxl import load_workbook  # parses through defusedxml when it is installed (it is)

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        refuse("The workbook cannot be read. Save it again from Excel as .xlsx.")
    return _sheet_rows(workbook, refuse)


def _sheet_rows(workbook, refuse) -> Iterator[tuple[int, list]]:
    try:
        if not workbook.worksheets:
            refuse("The workbook has no sheet.")
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except ValidationError:
                raise
            except Exception:  # a damaged part found while streaming (bad CRC, malformed XML)
                refuse(f"The workbook is damaged after row {number}: save it again from Excel as .xlsx.")
            number += 1
            yield number, ["" if cell is None else cell for cell in cells]
    finally:
        workbook.close()

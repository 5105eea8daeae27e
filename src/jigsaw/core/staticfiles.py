"""Only the files the pages load are collected from the npm packages.

The packages ship their sources, maps, type declarations and every component as a separate
module (about 8,000 files once compressed and hashed); the pages use a dozen. Collecting only
those keeps `collectstatic`, backups and each server worker's start-up (WhiteNoise indexes every
collected file) small.
"""

from __future__ import annotations

from fnmatch import fnmatch

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder


def _wanted(prefix: str | None, path: str) -> bool:
    patterns = settings.STATICFILES_PACKAGE_FILES.get(prefix or "")
    return patterns is None or any(fnmatch(path, pattern) for pattern in patterns)


class PackageFilesFinder(FileSystemFinder):
    """STATICFILES_DIRS, limited for each prefix named in STATICFILES_PACKAGE_FILES to the
    paths its patterns match (a prefix not named there is collected whole)."""

    def find_location(self, root, path, prefix=None):
        if prefix and path.startswith(f"{prefix}/") and not _wanted(prefix, path.removeprefix(f"{prefix}/")):
            return None
        return super().find_location(root, path, prefix)

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if _wanted(getattr(storage, "prefix", None), path):
                yield path, storage

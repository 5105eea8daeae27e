import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded papers go to a temporary folder, not the developer's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"

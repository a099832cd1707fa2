import pytest
from django.core.files.storage import FileSystemStorage

from events.models import EventAttachment


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Attachments written by the tests go to a temporary folder, not var/private."""
    storage = FileSystemStorage(location=tmp_path / "private")
    monkeypatch.setattr(EventAttachment._meta.get_field("file"), "storage", storage)
    return storage

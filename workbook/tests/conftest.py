import pytest
from django.core.files.storage import FileSystemStorage

from workbook.models import WorkbookImport


@pytest.fixture(autouse=True)
def _imported_files_in_tmp(tmp_path, monkeypatch):
    # Each import keeps its original file (workbook/history.py): in the test's own folder, not
    # in PRIVATE_MEDIA_ROOT.
    storage = FileSystemStorage(location=tmp_path / "imported")
    monkeypatch.setattr(WorkbookImport._meta.get_field("file"), "storage", storage)
    return storage

"""Attachments (photos, scanned letters) on events and cases: what may be uploaded, and how.

Only images (JPEG, PNG, GIF, WebP) and PDF, recognised by their first bytes rather than by the
name or the Content-Type the browser sends (both are whatever the sender says), at most
MAX_ATTACHMENT_BYTES each. Files go to the private storage under random names
(unionportal.models.attachment_path) and are served only by views that check the parent record.

The three attachment pages (upload, download, delete) are the views below, shared by every kind
with attachments: its urls.py passes `record_model` (whose attachments are reached as
`record.attachments`, the related_name of the attachment's parent key) and `detail_name` (the URL
name of the record's page) as the path's extra arguments.
"""

import functools
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from unionportal.access import get_visible_or_404, get_writable_or_404, require_write
from unionportal.files import DISK_FULL_PAGE_MESSAGE, is_disk_full
from unionportal.models import Attachment, TownshipRecord, User
from unionportal.record_services import delete_record
from unionportal.records import delete_page, history_entries, record_actions
from unionportal.security import accepts_body_up_to

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Several photos of one event go up in one choice; the whole request stays within what nginx
# passes (client_max_body_size 26m, docs/deployment.md).
MAX_FILES_PER_UPLOAD = 10
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_LABEL = _("JPG、PNG、GIF、WebP 图片或 PDF 文件")

# The extensions a file of each allowed type may carry. The first is the type's own: the stored
# file always has it, and so does the name kept and served when the sender's name has none of
# these (a PDF sent as polyglot.html is polyglot.pdf: its name never says HTML again).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}

# Content type by the file's leading bytes ("magic numbers").
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
]


def detect_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an allowed file from its first bytes, or None."""
    for signature, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type, EXTENSIONS[content_type][0]
    # WebP is a RIFF container: "RIFF", four bytes of length, then "WEBP".
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def name_for_type(name: str, content_type: str, *, max_length: int = 200) -> str:
    """The sender's file name with an extension of the detected type: theirs where it is one
    (扫描.JPEG), else the type's own in its place (polyglot.html → polyglot.pdf, 照片 → 照片.png).

    At most `max_length` characters, the extension kept whole.
    """
    extensions = EXTENSIONS.get(content_type)
    if not extensions:
        return name[:max_length]
    stem, dot, ext = name.rpartition(".")
    if dot and f".{ext}".lower() in extensions:
        suffix = f".{ext}"
    else:
        stem, suffix = (stem if dot and stem else name), extensions[0]
    return stem[: max_length - len(suffix)] + suffix


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The detected (content type, extension) of an allowed upload; ValidationError otherwise."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        mb = upload.size / 1024 / 1024
        raise ValidationError(
            _("文件“{name}”大小为 {mb:.1f} MB，超过了 10 MB 的上限。").format(
                name=upload.name, mb=mb
            ),
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("文件“{name}”是空文件。").format(name=upload.name), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = detect_type(head)
    if detected is None:
        raise ValidationError(
            _("文件“{name}”不是允许的类型：只能上传{ALLOWED_LABEL}。").format(
                name=upload.name, ALLOWED_LABEL=ALLOWED_LABEL
            ),
            code="file_type",
        )
    return detected


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams a large upload to a temporary file, but stops writing past the attachment limit.

    Django counts file parts neither against DATA_UPLOAD_MAX_MEMORY_SIZE (form fields only) nor
    against FILE_UPLOAD_MAX_MEMORY_SIZE (which only decides memory vs. temporary file), so a
    500 MB "photo" would otherwise land whole on the server's disk before the form refuses it.
    The bytes are still counted, so the form reports the real size.
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if start < MAX_ATTACHMENT_BYTES + 1:
            self.file.write(raw_data[: MAX_ATTACHMENT_BYTES + 1 - start])


def capped_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Use CappedTemporaryFileUploadHandler for this view's uploads.

    Upload handlers must be set before anything reads request.POST, and the CSRF middleware
    does: so CSRF is checked inside, after the handlers are in place (Django's documented way).
    """
    protected = csrf_protect(view)

    @functools.wraps(view)
    @csrf_exempt
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.upload_handlers = [
            MemoryFileUploadHandler(request),
            CappedTemporaryFileUploadHandler(request),
        ]
        return protected(request, *args, **kwargs)

    return wrapper


def attach_file(
    *,
    user: User,
    record: TownshipRecord,
    attachment_model: type[Attachment],
    parent_field: str,
    upload: UploadedFile,
) -> Attachment:
    """Store `upload` as an attachment of `record` (which the user must be able to change).

    The stored file's name is random; it and the name kept to show and serve carry an extension
    of the detected type, never one the sender chose for another (name_for_type).
    """
    require_write(user, record.township_id)
    content_type, suffix = check_upload(upload)
    original = name_for_type(PurePath(upload.name or _("附件")).name, content_type)
    with transaction.atomic():
        attachment = attachment_model(
            **{parent_field: record},
            original_name=original,
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )
        # attachment_path keeps only the suffix of the name given here.
        field = attachment.file.field
        storage = attachment.file.storage
        name = field.generate_filename(attachment, f"upload{suffix}")
        try:
            name = storage.save(name, upload, max_length=field.max_length)
        except OSError as exc:
            storage.delete(name)  # what was written before the disk filled up
            if not is_disk_full(exc):
                raise
            what = _("附件“{original}”未能保存").format(original=original)
            raise ValidationError(
                DISK_FULL_PAGE_MESSAGE.format(what=what), code="disk_full"
            ) from None
        attachment.file = name
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(name)
            raise
    return attachment


def delete_attachment(*, user: User, record: TownshipRecord, attachment: Attachment) -> None:
    """Remove the attachment row and, once the transaction commits, its file."""
    require_write(user, record.township_id)
    storage, name = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def delete_with_attachments(*, user: User, record: TownshipRecord) -> None:
    """Delete the record with its attachments (CASCADE) in one transaction, and their files once
    it commits: a deletion that fails or is rolled back keeps the rows and the files together."""
    require_write(user, record.township_id)
    with transaction.atomic():
        files = [(a.file.storage, a.file.name) for a in record.attachments.only("id", "file")]
        delete_record(user=user, record=record)

        def remove() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file with its checked type and its name (with that type's extension), opened in the
    browser (inline).

    nosniff keeps the browser to the type found from the file's first bytes. Images also get a
    sandbox CSP, so nothing in them can act in the portal's origin; PDFs do not, because Chrome's
    PDF viewer refuses to open in a sandboxed document.
    """
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=False,
        # Rows kept before names followed the detected type are served under the type's too.
        filename=name_for_type(attachment.original_name, attachment.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if attachment.content_type.startswith("image/"):
        response["Content-Security-Policy"] = (
            # The browser's own image viewer styles the page inline; no script can run.
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    response["Cache-Control"] = "private, no-store"
    return response


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once (Django's documented pattern): a list of uploads."""

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            return [super().clean(None, initial)]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AttachmentForm(forms.Form):
    file = MultipleFileField(
        label=_("附件"),
        help_text=format_lazy(
            _("照片或扫描件：{ALLOWED_LABEL}，可一次选择多个（最多 10 个），每个不超过 10 MB。"),
            ALLOWED_LABEL=ALLOWED_LABEL,
        ),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("上传的文件是空的。")},
        widget=MultipleFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf",
                "class": "form-control",
            }
        ),
    )

    def clean_file(self) -> list[UploadedFile]:
        uploads = self.cleaned_data["file"]
        if len(uploads) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                _("一次最多上传 {count} 个文件。").format(count=MAX_FILES_PER_UPLOAD),
                code="too_many",
            )
        problems = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)  # every file named; none is stored
        return uploads


# ---------------------------------------------------------------------------------------------
# Pages: the attachments section of a record's page, and the upload, download and delete views


def attachments_section(record: TownshipRecord, *, can_edit: bool, upload_url: str) -> dict:
    """What records/_attachments.html needs besides the record: its attachments (one query),
    the upload form for users who may change the record, and where that form posts."""
    return {
        "upload_url": upload_url,
        "attachments": list(record.attachments.select_related("uploaded_by")),
        "attachment_form": AttachmentForm() if can_edit else None,
    }


def _back_to(record: TownshipRecord, detail_name: str) -> HttpResponse:
    return redirect(f"{reverse(detail_name, args=[record.pk])}#attachments")


def _attachment_of(record: TownshipRecord, attachment_pk: int) -> Attachment:
    # Through the record, so an attachment of another record is not reached through this one.
    found = record.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404(_("附件不存在。"))
    return found


@accepts_body_up_to(MAX_UPLOAD_BYTES)
@require_POST
@capped_uploads
def attachment_upload(
    request: HttpRequest, pk: int, *, record_model: type[TownshipRecord], detail_name: str
) -> HttpResponse:
    """Add the chosen files to the record (users who may change it); back to its page with a
    message. Nothing is stored when any of the files is refused."""
    record = get_writable_or_404(request.user, record_model, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        stored = []
        try:
            for upload in form.cleaned_data["file"]:
                attachment = attach_file(
                    user=request.user,
                    record=record,
                    attachment_model=record.attachments.model,
                    parent_field=record.attachments.field.name,
                    upload=upload,
                )
                stored.append(attachment.original_name)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        if stored:
            messages.success(
                request,
                _("已上传附件“{original_name}”。").format(original_name="”“".join(stored)),
            )
    else:
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
    return _back_to(record, detail_name)


def attachment_download(
    request: HttpRequest,
    pk: int,
    attachment_pk: int,
    *,
    record_model: type[TownshipRecord],
    detail_name: str,
) -> HttpResponse:
    """The file, only for users who may see the record (another township's record is a 404)."""
    record = get_visible_or_404(request.user, record_model, pk)
    return attachment_response(_attachment_of(record, attachment_pk))


@require_POST
def attachment_delete(
    request: HttpRequest,
    pk: int,
    attachment_pk: int,
    *,
    record_model: type[TownshipRecord],
    detail_name: str,
) -> HttpResponse:
    """Remove one attachment (users who may change the record); back to its page."""
    record = get_writable_or_404(request.user, record_model, pk)
    attachment = _attachment_of(record, attachment_pk)
    delete_attachment(user=request.user, record=record, attachment=attachment)
    messages.success(
        request, _("已删除附件“{original_name}”。").format(original_name=attachment.original_name)
    )
    return _back_to(record, detail_name)


def record_delete(
    request: HttpRequest,
    pk: int,
    *,
    record_model: type[TownshipRecord],
    detail_name: str,
    list_name: str,
) -> HttpResponse:
    """The delete page of a record that keeps attachments (a case, an event): the record and its
    attachments go in one transaction, their files once it commits (delete_with_attachments).
    The kind's urls.py passes its model and page names, as for the attachment pages."""
    record = get_writable_or_404(request.user, record_model, pk)
    return delete_page(
        request,
        record,
        success_url=reverse(list_name),
        cancel_url=reverse(detail_name, args=[record.pk]),
        delete=delete_with_attachments,
    )


def attached_record_context(
    user: User, record: TownshipRecord, *, label: str, app: str, kind: str
) -> dict:
    """What the detail page of a record that keeps attachments (a case, an event) shows beside
    its own fields: the record, its actions and their addresses (<app>:<kind>_list, _update,
    _delete), its attachments and its history."""
    actions = record_actions(user, record)
    return {
        "record": record,
        "kind_label": label,
        "list_url": reverse(f"{app}:{kind}_list"),
        "actions": actions,
        "edit_url": reverse(f"{app}:{kind}_update", args=[record.pk]),
        "delete_url": reverse(f"{app}:{kind}_delete", args=[record.pk]),
        **attachments_section(
            record,
            can_edit=actions["can_edit"],
            upload_url=reverse(f"{app}:attachment_upload", args=[record.pk]),
        ),
        "history": history_entries(record),
    }

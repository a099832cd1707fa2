"""Resident ID numbers at rest: encrypted in the database, found again through a keyed hash.

GB/T 35273-2020 asks that ID numbers be stored encrypted. Each value is sealed with AES-GCM
(a fresh random 96-bit nonce per value, so the same number never gives the same ciphertext)
and stored as text ``e1:<key id>:<base64(nonce + ciphertext + tag)>``. The key id (the first
8 hex digits of the key's SHA-256) names which key sealed a value, so a rotated key can still
open older values listed in FIELD_ENCRYPTION_OLD_KEYS.

Because equal numbers encrypt differently, the database cannot compare them. Look-ups and
uniqueness use a second column holding HMAC-SHA256 of the normalised number under a separate
key (derived with HKDF from FIELD_HASH_KEY, or from FIELD_ENCRYPTION_KEY when that is not
set), so the hash alone cannot be reversed by trying every birth date and region.

``EncryptedIdNumberField`` reads and writes plain text in Python (``member.id_number`` is the
number); any query on it other than ``isnull`` raises, so nobody silently compares ciphertext.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

from unionportal.validators import normalize_id_number

PREFIX = "e1:"
# "e1:" + 8-hex key id + ":" + base64 of 12 (nonce) + 18 (number) + 16 (tag) bytes = 76 chars.
CIPHERTEXT_LENGTH = 80
HASH_LENGTH = 64
_HASH_INFO = b"unionportal id-number lookup hash v1"
_CANONICAL = re.compile(r"[0-9]{17}[0-9X]")


class DecryptionError(Exception):
    """A stored value could not be opened: the key that sealed it is not configured."""


def decode_key(text: str, *, name: str = "FIELD_ENCRYPTION_KEY") -> bytes:
    """A key given in the environment as base64 of 32 random bytes."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} 不是有效的 base64 文本。") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} 应为 32 字节密钥的 base64（当前 {len(key)} 字节）。")
    return key


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@functools.cache
def _keys() -> tuple[str, AESGCM, dict[str, AESGCM], bytes]:
    """(current key id, its cipher, every usable cipher by key id, the hash key)."""
    current = decode_key(settings.FIELD_ENCRYPTION_KEY)
    ciphers = {key_id(current): AESGCM(current)}
    for index, text in enumerate(settings.FIELD_ENCRYPTION_OLD_KEYS):
        old = decode_key(text, name=f"FIELD_ENCRYPTION_OLD_KEYS 第{index + 1}项")
        ciphers.setdefault(key_id(old), AESGCM(old))
    material = (
        decode_key(settings.FIELD_HASH_KEY, name="FIELD_HASH_KEY")
        if settings.FIELD_HASH_KEY
        else current
    )
    hash_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HASH_INFO).derive(
        material
    )
    return key_id(current), ciphers[key_id(current)], ciphers, hash_key


def reset_keys() -> None:
    """Forget the keys read from settings (tests that change them call this)."""
    _keys.cache_clear()


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt(plain: str) -> str:
    """Seal a value with the current key. The empty string stays empty (nothing to protect)."""
    if not plain:
        return ""
    kid, cipher, _all, _hash = _keys()
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, plain.encode(), None)
    return f"{PREFIX}{kid}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    """Open a stored value. Text without the prefix is returned as it is: rows written before
    encryption, until the migration has converted them."""
    if not stored or not is_encrypted(stored):
        return stored
    try:
        kid, body = stored[len(PREFIX) :].split(":", 1)
        raw = base64.b64decode(body)
    except (ValueError, binascii.Error):
        raise DecryptionError("身份证号密文格式不正确。") from None
    cipher = _keys()[2].get(kid)
    if cipher is None:
        raise DecryptionError(
            f"身份证号由密钥 {kid} 加密，但该密钥未配置（FIELD_ENCRYPTION_KEY / "
            "FIELD_ENCRYPTION_OLD_KEYS）。"
        )
    try:
        return cipher.decrypt(raw[:12], raw[12:], None).decode()
    except InvalidTag:
        raise DecryptionError(f"身份证号无法用密钥 {kid} 解密：密文已损坏或密钥不对。") from None


def needs_rotation(stored: str) -> bool:
    """Whether a stored value was sealed by another key than the current one."""
    return bool(stored) and not stored.startswith(f"{PREFIX}{_keys()[0]}:")


def id_number_hash(value: str) -> str:
    """The keyed hash of a resident ID number as the look-up columns hold it ('' for none).

    The number is normalised first (full-width digits, lower-case x), so any way of typing
    the same number finds the same person."""
    if not value:
        return ""
    # Most values are stored ones, already canonical: skip folding them (seed_demo hashes
    # 300,000 at a time).
    number = value if _CANONICAL.fullmatch(value) else normalize_id_number(value)
    if not number:
        return ""
    return hmac.digest(_keys()[3], number.encode(), "sha256").hex()


class EncryptedIdNumberField(models.CharField):
    """A resident ID number, encrypted in the database and plain in Python.

    `max_length` is the number's length (18): forms and validators see the plain value. The
    column is wider, to hold the ciphertext. Queries must go through the hash column."""

    description = "Encrypted resident ID number"

    def db_type_parameters(self, connection) -> dict:
        # The column holds the ciphertext, longer than the number.
        return {**super().db_type_parameters(connection), "max_length": CIPHERTEXT_LENGTH}

    def from_db_value(self, value: Any, expression, connection) -> Any:
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or (isinstance(value, str) and is_encrypted(value)):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name: str):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: filter on "
                f"{self.name}_hash=id_number_hash(...) instead of {self.name}__{lookup_name}."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: no transforms.")


class IdNumberHashField(models.CharField):
    """The keyed hash of another field's ID number, filled in whenever the row is written
    (save(), bulk_create()), like auto_now fills a timestamp: it can never disagree with the
    number it stands for. Writers that bypass the ORM call `id_number_hash()` themselves."""

    def __init__(self, *args: Any, source: str = "id_number", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", HASH_LENGTH)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.source != "id_number":
            kwargs["source"] = self.source
        for key, default in (
            ("max_length", HASH_LENGTH),
            ("editable", False),
            ("blank", True),
            ("default", ""),
        ):
            if kwargs.get(key, None if key != "editable" else True) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = id_number_hash(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def convert_id_numbers(connection, table: str, *, pk: str = "id", forward: bool = True) -> int:
    """Seal a table's `id_number` column and fill `id_number_hash`; returns the rows changed.

    The data step of the migrations that encrypt the column, and of `reencrypt_id_numbers`
    after a key rotation. Forward: seal every plain value or one sealed by an older key, and
    hash every value with the current hash key; backward: put the plain value back. Rows go in
    batches by primary key, through the cursor (no model instances), so a county's 300,000
    members convert in bounded memory on SQLite and PostgreSQL alike, and a half-finished run
    can simply be run again. Only rows that change are written.
    """
    qn = connection.ops.quote_name
    hashed = f", {qn('id_number_hash')}" if forward else ""
    select = (
        f"SELECT {qn(pk)}, {qn('id_number')}{hashed} FROM {qn(table)} "
        f"WHERE {qn(pk)} > %s ORDER BY {qn(pk)} LIMIT 2000"
    )
    if forward:
        update = (
            f"UPDATE {qn(table)} SET {qn('id_number')} = %s, {qn('id_number_hash')} = %s "
            f"WHERE {qn(pk)} = %s"
        )
    else:
        update = f"UPDATE {qn(table)} SET {qn('id_number')} = %s WHERE {qn(pk)} = %s"
    last, changed = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            changes = []
            for key, stored, *old_hash in rows:
                stored = stored or ""
                plain = decrypt(stored)
                if not forward:
                    if plain != stored:
                        changes.append((plain, key))
                    continue
                sealed = stored if stored and not needs_rotation(stored) else encrypt(plain)
                digest = id_number_hash(plain)
                if sealed != stored or digest != old_hash[0]:
                    changes.append((sealed, digest, key))
            if changes:
                cursor.executemany(update, changes)
            changed += len(changes)
    return changed

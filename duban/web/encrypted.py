"""Values encrypted at rest: credentials the system must send on (a group robot's webhook key,
its signing secret) are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package), never as plain text, so a copy of the database alone does not give
them away.

The key is derived from settings.SECRET_KEY with HKDF-SHA256 and a fixed context, so it needs
no setting of its own. A key in settings.SECRET_KEY_FALLBACKS (DUBAN_SECRET_KEY_FALLBACKS)
still decrypts: Django's way of rotating the secret key, the new key in force, the old one
among the fallbacks; a value saved again is encrypted with the new key. The secret key lives
in DUBAN_DATA_DIR/secret_key (or DUBAN_SECRET_KEY) and travels in `duban backup`; a database
restored under another key cannot decrypt these values: they read as unreadable
(`Unreadable`, an empty string that says so) and must be entered again.

Stored form: "fernet:" + token. A value without that prefix is a plain value written before
encryption (the data migration encrypts those); it reads as it is.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "fernet:"
CONTEXT = b"duban encrypted field v1"


class Unreadable(str):
    """A stored value the current keys cannot decrypt: reads as empty and says why; saved
    again, its stored token is kept as it was (a later key may still read it)."""

    reason = "无法解密（系统密钥已更换），请重新填写"

    def __new__(cls, stored: str):
        value = super().__new__(cls, "")
        value.stored = stored
        return value


@functools.lru_cache(maxsize=8)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CONTEXT).derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys(secret_keys=None) -> MultiFernet:
    keys = secret_keys or [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def encrypt(value: str, secret_keys=None) -> str:
    if value is None or value == "":
        return value
    return PREFIX + _keys(secret_keys).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(stored: str, secret_keys=None) -> str:
    """The plain value of a stored one; Unreadable() when no key fits."""
    if not stored or not stored.startswith(PREFIX):
        return stored  # empty, or plain text written before encryption
    try:
        return _keys(secret_keys).decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError, UnicodeError):
        return Unreadable(stored)


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


class EncryptedTextField(models.TextField):
    """A text field stored encrypted (see the module). `max_length` bounds the plain value in
    forms; the column is text, since a token is about 4/3 of the value plus 100 characters.
    It cannot be searched or filtered by value.

    A value that is already a token (from `dumpdata`, or an unreadable value saved again) is
    stored as it is, so a portable backup carries tokens, never the plain values, and loads
    back unchanged under the secret key that travels with it."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, Unreadable):
            return value.stored
        if not value or is_encrypted(value):
            return value
        return encrypt(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

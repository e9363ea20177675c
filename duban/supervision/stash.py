"""Evidence chosen on a report form that failed validation, kept for the next try.

A browser forgets the files chosen in a form once the page comes back with errors. The files
are therefore stored under `drafts/evidence-stash/` and named in a hidden field by a signed
token (who, which target, which files), which the next post of the same form redeems. Nothing
else points at those files: `duban cleanup` removes them once they are older than its
`--min-age` (60 minutes by default), and the token expires sooner, so a form left open longer
asks for its files again, in plain words.
"""

import uuid
from pathlib import PurePath

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

SALT = "duban.supervision.evidence-stash"
MAX_AGE = 50 * 60  # seconds; under the cleanup's default minimum age
FOLDER = "drafts/evidence-stash"
LOST = "选择的佐证材料未保存，请重新选择"


class StashLost(Exception):
    """The token is forged, expired, someone else's, or its files are gone."""


def stash(user, target, uploads, keep=()) -> str:
    """Stores `uploads` and signs a token naming them and the entries of `keep` (already
    stored). Empty when there is nothing to keep."""
    entries = [list(entry) for entry in keep]
    for upload in uploads:
        name = PurePath(upload.name).name
        upload.seek(0)
        path = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}/{name}", upload)
        entries.append([path, name])
    if not entries:
        return ""
    return signing.dumps({"u": user.pk, "t": target.pk, "f": entries}, salt=SALT)


def entries(user, target, token: str) -> list[list[str]]:
    """The [path, name] pairs a token names, checked; raises StashLost."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # also SignatureExpired
        raise StashLost(LOST) from exc
    if data.get("u") != user.pk or data.get("t") != target.pk:
        raise StashLost(LOST)
    found = data.get("f") or []
    for path, _name in found:
        if not str(path).startswith(f"{FOLDER}/") or not default_storage.exists(path):
            raise StashLost(LOST)
    return found


def open_files(found) -> list[File]:
    """The stashed files, open, as uploads the report's action stores again."""
    return [File(default_storage.open(path, "rb"), name=name) for path, name in found]


def names(found) -> list[str]:
    return [name for _path, name in found]


def discard_after_commit(found) -> None:
    """Removes the stashed files once the report that took copies of them is committed."""

    def remove():
        for path, _name in found:
            default_storage.delete(path)

    transaction.on_commit(remove)

"""Files in and out of the doors that take them (API, pages): an upload read within a size,
an attachment sent back as a download."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response, UploadFile

from proa.service import AttachmentView
from proa.service import batch as files


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The upload, refused (413, in French) as soon as it passes `limit` bytes."""
    parts: list[bytes] = []
    received = 0
    while chunk := await upload.read(1 << 20):
        received += len(chunk)
        files.check_size(received, limit)
        parts.append(chunk)
    return b"".join(parts)


def attachment_response(view: AttachmentView, content: bytes) -> Response:
    """An attachment sent back as a download, under an ASCII name (the stored one is in
    `filename*`), never displayed inline."""
    ascii_name = view.filename.encode("ascii", "replace").decode().replace("?", "_")
    return Response(
        content,
        media_type=view.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(view.filename)}",
            "X-Proa-Sha256": view.sha256,
        },
    )

"""Evidence files served to those who may see their target, for the pages and the API."""

from django.http import FileResponse, Http404

from duban.targets.models import Evidence, Target


def evidence_download(user, pk) -> FileResponse:
    """The file as an attachment; the same 404 whether it is missing or not the user's to see,
    so ids cannot be probed. Files live outside any web root; this is the only way out."""
    item = Evidence.objects.filter(pk=pk, target__in=Target.objects.visible_to(user)).first()
    if item is None:
        raise Http404("没有找到这个文件，或您无权查看")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type or "application/octet-stream",
    )

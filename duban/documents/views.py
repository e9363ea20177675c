"""The import page: upload files, see and correct what was read from them, confirm or discard.

Only office staff import. A draft belongs to whoever uploaded it; anyone else gets a 404, so
draft ids cannot be probed.
"""

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.audit.context import acting_as, actor_for_user
from duban.extraction import containers
from duban.organisations.models import is_office_staff

from .forms import MAX_FILES, DraftCorrections, UploadForm
from .importing import ImportError_, classifier, import_extraction
from .models import ImportDraft
from .planning import plan_import
from .preview import build_preview


def office_staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _own_draft(request, pk) -> ImportDraft:
    draft = ImportDraft.objects.filter(pk=pk, uploaded_by=request.user).first()
    if draft is None:
        raise Http404("没有找到这份导入草稿，或它不是您上传的")
    return draft


def _submitted(request):
    """The preview form's data, or None when the request did not come from that form."""
    return request.POST if "corrections" in request.POST else None


@office_staff_required
def import_upload(request):
    outcomes, status = [], 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            outcomes = form.save(request.user)
            if all(outcome.error for outcome in outcomes):
                status = 400
        else:
            status = 400
    else:
        form = UploadForm()
    pending = ImportDraft.objects.filter(
        uploaded_by=request.user, status=ImportDraft.Status.PENDING
    )
    return render(
        request,
        "documents/import_upload.html",
        {
            "form": form,
            "outcomes": outcomes,
            "pending": pending,
            "max_size_mb": containers.MAX_FILE_SIZE // (1024 * 1024),
            "max_files": MAX_FILES,
        },
        status=status,
    )


def _render_preview(request, draft, corrections, *, status=200, problem=""):
    editable = draft.is_pending
    shown = corrections.for_display()
    # What the import would do now, against the targets stored now; a draft already imported
    # would only find itself.
    plan = plan_import(shown, classifier(shown)) if editable else None
    preview = build_preview(shown, corrections.item_forms if editable else None, plan)
    return render(
        request,
        "documents/draft_preview.html",
        {
            "draft": draft,
            "preview": preview,
            "doc_form": corrections.document_form,
            "options_form": corrections.options_form,
            "problems": ([problem] if problem else []) + corrections.error_list,
            "editable": editable,
        },
        status=status,
    )


@office_staff_required
def draft_preview(request, pk):
    draft = _own_draft(request, pk)
    if request.method != "POST":
        return _render_preview(request, draft, DraftCorrections(draft.result))
    if not draft.is_pending:
        messages.info(request, f"此草稿{draft.get_status_display()}，不能再更正")
        return redirect(draft)
    data = _submitted(request)
    if data is None:
        return redirect(draft)
    corrections = DraftCorrections(draft.result, data)
    if not corrections.is_valid():
        return _render_preview(request, draft, corrections, status=400)
    draft.result = corrections.corrected()
    draft.save(update_fields=["result"])
    messages.success(request, "已保存更正")
    return redirect(draft)


def _store(request, pk, result):
    """Imports a draft's corrected result in one transaction; None if it was no longer pending."""
    actor = actor_for_user(request.user, remote_addr=request.META.get("REMOTE_ADDR"))
    with transaction.atomic(), acting_as(actor):
        draft = ImportDraft.objects.select_for_update().get(pk=pk)
        if not draft.is_pending:
            return None
        draft.result = result
        outcome = import_extraction(
            draft.result_for_import(), file_bytes=draft.read_file(), user=request.user
        )
        stored_file = draft.file.name
        draft.status = ImportDraft.Status.IMPORTED
        draft.document = outcome.document
        draft.file = ""  # the document keeps its own copy of the bytes
        draft.save()
        if stored_file:
            transaction.on_commit(partial(draft.file.storage.delete, stored_file))
    return outcome


@office_staff_required
@require_POST
def draft_confirm(request, pk):
    draft = _own_draft(request, pk)
    if draft.status == ImportDraft.Status.IMPORTED:
        messages.info(request, f"《{draft}》已经导入，无需再次确认")
        return redirect("targets:list")
    if draft.status == ImportDraft.Status.DISCARDED:
        messages.error(request, f"《{draft}》已放弃，不能导入；请重新上传文件")
        return redirect("documents:import")
    data = _submitted(request)
    corrections = DraftCorrections(draft.result, data)
    if data is not None and not corrections.is_valid():
        return _render_preview(request, draft, corrections, status=400)
    result = corrections.corrected() if data is not None else draft.result
    try:
        outcome = _store(request, draft.pk, result)
    except ImportError_ as exc:
        return _render_preview(request, draft, corrections, status=400, problem=str(exc))
    if outcome is None:
        messages.info(request, f"《{draft}》已经处理过，未做任何改动")
    elif outcome.already_imported:
        messages.info(request, f"《{outcome.document}》已导入过，未做任何改动")
    else:
        messages.success(request, "已导入" + outcome.summary)
    # Files uploaded together are previewed one after another.
    following = (
        ImportDraft.objects.filter(uploaded_by=request.user, status=ImportDraft.Status.PENDING)
        .order_by("uploaded_at", "pk")
        .first()
    )
    if following is not None:
        messages.info(request, f"接着预览下一份待确认的文件：{following}")
        return redirect(following)
    return redirect("targets:list")


@office_staff_required
@require_POST
def draft_discard(request, pk):
    draft = _own_draft(request, pk)
    if draft.is_pending:
        draft.delete_file()
        draft.status = ImportDraft.Status.DISCARDED
        draft.save(update_fields=["file", "status"])
        messages.success(request, f"已放弃《{draft}》，上传的文件已删除")
    else:
        messages.info(request, f"此草稿{draft.get_status_display()}，无需放弃")
    return redirect("documents:import")

"""A file built to eat memory, uploaded on the import page (issue 12, item 2): it is read in a
child process with its own limits, so the page answers with a one-line message, the server
process stays as it was, and no draft or file is left behind."""

import resource

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.documents.models import ImportDraft
from tests.extraction import hostile_samples as hs

from .test_import_views import PLAN, txt, upload


def _files(storage):
    return [p for p in storage.rglob("*") if p.is_file()] if storage.exists() else []


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_docx_whose_spans_multiply_to_a_billion_cells_is_refused(office, storage, monkeypatch):
    monkeypatch.setenv("DUBAN_EXTRACT_MEMORY_MB", "700")
    before = _peak_mb()
    response = upload(office, SimpleUploadedFile("spans.docx", hs.docx_grid_span()))
    page = response.content.decode()
    assert response.status_code == 400
    assert "表格范围异常" in page and "Traceback" not in page
    assert not ImportDraft.objects.exists()
    assert _files(storage) == []
    assert _peak_mb() - before < 200  # the server process itself never held the grid


def test_a_file_over_the_childs_memory_limit_is_a_message(office, storage, monkeypatch):
    monkeypatch.setenv("DUBAN_EXTRACT_MEMORY_MB", "250")
    big = SimpleUploadedFile("big.txt", hs.text_table(60_000))
    response = upload(office, big, txt("plan.txt", PLAN))
    page = response.content.decode()
    assert "文件过于复杂" in page
    # The other file of the batch is read as usual.
    assert list(ImportDraft.objects.values_list("name", flat=True)) == ["plan.txt"]
    assert len(_files(storage)) == 1


def test_a_pdf_stream_bomb_is_refused_not_fatal(office, storage):
    response = upload(office, SimpleUploadedFile("bomb.pdf", hs.pdf_stream_bomb(200 * 1024**2)))
    assert response.status_code == 400
    assert "PDF 内容过大（解压后超过 128 MB），无法读取" in response.content.decode()
    assert not ImportDraft.objects.exists() and _files(storage) == []

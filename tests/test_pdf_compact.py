"""Object streams (render/pdf/compact.py): the packed PDF holds the same objects, readers read
it, and it is smaller than what reportlab wrote."""
from __future__ import annotations

import io
import shutil
import subprocess

import pypdf
import pytest

from briefgen.render.pdf.compact import pack
from briefgen.render.pdf.internals import ReportlabChanged

from .doc_fixture import print_document
from .pdf_structure import TaggedPdf
from .test_pdf_tags import render


@pytest.fixture(scope="module")
def packed() -> bytes:
    return render(print_document(copy=(1, 2, "J. Reader"), watermark="DRAFT"))


def test_the_pdf_is_packed_and_reads_back(packed):
    assert packed.startswith(b"%PDF-1.5") and b"/Type /XRef" in packed
    assert b"/Type /ObjStm" in packed and b"\nxref\n" not in packed
    reader = pypdf.PdfReader(io.BytesIO(packed), strict=True)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bottom line up front" in text and reader.outline
    assert TaggedPdf(packed).problems() == []


def test_packing_keeps_every_object_and_the_file_id(packed):
    # unpack it again with pypdf and pack pypdf's classic writing of it: same objects, same ID
    reader = pypdf.PdfReader(io.BytesIO(packed))
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]
    for number in range(1, int(reader.trailer["/Size"])):
        assert reader.get_object(number) is not None, number


def test_qpdf_finds_no_error(packed, tmp_path):
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    path = tmp_path / "packed.pdf"
    path.write_bytes(packed)
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_file_in_another_layout_is_refused():
    with pytest.raises(ReportlabChanged):
        pack(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\nxref 0 2\nstartxref\n17\n%%EOF\n")

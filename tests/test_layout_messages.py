"""A layout that reportlab cannot make is reported with sizes and a fix, never with the repr of
one of its objects ("Flowable <Table@0x7F...>")."""
import pytest
from reportlab.platypus.doctemplate import LayoutError

from briefgen.build import BuildOptions, build_brief
from briefgen.errors import BriefgenError
from briefgen.loading import load_workspace
from briefgen.render.pdf import page

# reportlab's own words (doctemplate.handle_flowable), as the issue quotes them
TOO_LARGE = ("Flowable <Table@0x7F7918BC0D10 2 rows x 300 cols> with cell(0,0) containing "
             "'<WrapOnceParagraph at 0x7f7918ca4cd0>c0'(459.27560000000005 x 6210.0) too large "
             "on page 2 in frame 'body'(459.27560000000005 x 705.8898*) of template 'page'")
OTHER = "Flowable <HeadingParagraph at 0x7f1716afcb90 frame=body>Main brief cannot be split"


@pytest.mark.parametrize("reportlab_says, expected", [
    (TOO_LARGE, "PDF renderer: a block of 459 x 6210 pt does not fit the 459 x 706 pt text area "
                "(page 2): split it, or make the theme's sizes or margins smaller"),
    (OTHER, "PDF renderer: layout failed: Flowable Main brief cannot be split"),
])
def test_a_layout_error_names_sizes_not_objects(workspace, tmp_path, monkeypatch,
                                                reportlab_says, expected):
    def fails(self, story):
        raise LayoutError(reportlab_says)
    monkeypatch.setattr(page.BriefDocTemplate, "build_story", fails)
    root = workspace()
    loaded = load_workspace(root)
    with pytest.raises(BriefgenError) as caught:
        build_brief(loaded, loaded.corpus.briefs["main"], BuildOptions(formats=["pdf"]),
                    tmp_path / "out")
    message = caught.value.problem.message
    assert message == expected
    assert "0x" not in message

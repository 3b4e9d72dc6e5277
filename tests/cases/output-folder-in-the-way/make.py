"""A folder where the PDF should go. Made here because output/ is git-ignored."""


def make(workspace):
    (workspace / "output" / "main.pdf").mkdir(parents=True)
    (workspace / "output" / "main.pdf" / "keep.txt").write_text("not a PDF\n")

def make(workspace):
    outside = workspace.parent / "victim.pdf"
    outside.write_text("keep me\n")
    (workspace / "output").mkdir()
    (workspace / "output/main.pdf").symlink_to(outside)

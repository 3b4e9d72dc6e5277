def make(workspace):
    outside = workspace.parent / "shared-sources"
    outside.mkdir()
    (outside / "s.yaml").write_text("id: report-a\ntitle: Report A\n")
    (workspace / "content/sources").symlink_to(outside, target_is_directory=True)

def make(workspace):
    outside = workspace.parent / "elsewhere"
    outside.mkdir()
    (workspace / "output").symlink_to(outside, target_is_directory=True)

def make(workspace):
    # templates/sys -> a folder outside (as templates/sys -> /etc would be)
    outside = workspace.parent / "etc"
    outside.mkdir()
    (outside / "hostname").write_text("secret-host-name\n")
    (workspace / "templates/sys").symlink_to(outside, target_is_directory=True)

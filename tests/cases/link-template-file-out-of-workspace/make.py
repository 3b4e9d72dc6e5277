def make(workspace):
    outside = workspace.parent / "elsewhere.md.j2"
    outside.write_text("# {{ brief.title }}\nfrom outside\n")
    (workspace / "templates").mkdir(exist_ok=True)  # git keeps no empty folder
    (workspace / "templates/policy-brief.md.j2").symlink_to(outside)

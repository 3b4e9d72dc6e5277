def make(workspace):
    outside = workspace.parent / "briefgen.yaml"
    outside.write_text("classification: TLP:CLEAR\n")
    (workspace / "briefgen.yaml").symlink_to(outside)

def make(workspace):
    outside = workspace.parent / "actors.yaml"
    outside.write_text("- id: spy\n  name: Spy\n  kind: other\n  summary: From outside.\n")
    (workspace / "content/actors/more.yaml").symlink_to(outside)

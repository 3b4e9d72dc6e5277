def make(workspace):
    (workspace / "content/actors/huge.yaml").write_text("# " + "x" * (6 * 1024 * 1024) + "\n")

def make(workspace):
    (workspace / "content/actors/many.yaml").write_text("[" + "1, " * 250000 + "1]\n")

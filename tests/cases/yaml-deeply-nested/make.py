def make(workspace):
    # 5,000 nested flow lists: more than the loader can recurse into
    (workspace / "content/actors/deep.yaml").write_text("[" * 5000 + "]" * 5000 + "\n")

def make(workspace):
    # 5,000 nested flow lists: past libyaml's own limit (1,000) and Python's recursion limit
    (workspace / "content/actors/deep.yaml").write_text("[" * 5000 + "]" * 5000 + "\n")

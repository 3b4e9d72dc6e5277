def make(workspace):
    text = "- id: cafe\n  name: Cafe\n  kind: other\n  summary: S.\n"
    (workspace / "content/actors/utf16.yaml").write_bytes(text.encode("utf-16"))

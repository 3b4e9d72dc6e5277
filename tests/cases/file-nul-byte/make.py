def make(workspace):
    data = b"- id: cafe\n  name: Cafe\x00 owners\n  kind: other\n  summary: S.\n"
    (workspace / "content/actors/nul.yaml").write_bytes(data)

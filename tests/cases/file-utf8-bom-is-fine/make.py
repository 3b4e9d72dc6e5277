def make(workspace):
    text = "- id: cafe\n  name: Caf\u00e9 owners\n  kind: other\n  summary: S.\n"
    (workspace / "content/actors/bom.yaml").write_bytes(text.encode("utf-8-sig"))

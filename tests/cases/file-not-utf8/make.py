def make(workspace):
    text = "- id: cafe\n  name: Caf\u00e9 owners\n  kind: other\n  summary: S.\n"
    (workspace / "content/actors/latin1.yaml").write_bytes(text.encode("latin-1"))

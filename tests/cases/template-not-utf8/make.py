def make(workspace):
    (workspace / "templates").mkdir()
    (workspace / "templates/policy-brief.md.j2").write_bytes(b"# Caf\xe9 {{ brief.title }}\n")

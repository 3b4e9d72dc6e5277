def make(workspace):
    (workspace / "templates").mkdir()
    (workspace / "templates/board-note.md.j2").write_bytes(b"# Caf\xe9\n")

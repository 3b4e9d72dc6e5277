def make(workspace):
    (workspace / "images").mkdir()
    (workspace / "images/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100)

def make(workspace):
    (workspace / "fonts").mkdir()
    # a TrueType signature, then nothing a font has
    (workspace / "fonts/house.ttf").write_bytes(b"\x00\x01\x00\x00" + b"garbage" * 100)

def make(workspace):
    words = " ".join(["lorem ipsum dolor"] * 6000)  # about 107,000 characters
    (workspace / "content/briefs/main.yaml").write_text(
        f"title: Main brief\ndate: 2024-10-01\nbluf: {words}\n", encoding="utf-8")

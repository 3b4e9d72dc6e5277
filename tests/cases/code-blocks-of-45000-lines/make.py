def make(workspace):
    # 45,000 lines in 9 sections (a field holds at most 100,000 characters): reportlab laid
    # out the rest of a code block again at every page, 81-120 s in all
    lines = ["title: Main brief", "date: 2024-10-01", "sections:"]
    for s in range(9):
        lines += [f"  - title: Part {s}", "    body: |", "      ```"]
        lines += [f"      c{i}" for i in range(5000)]
        lines += ["      ```"]
    (workspace / "content/briefs/main.yaml").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")

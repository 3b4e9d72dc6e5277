def make(workspace):
    # 24,000 hard line breaks (a backslash at the end of a line) in 4 paragraphs
    lines = ["title: Main brief", "date: 2024-10-01", "sections:"]
    for s in range(4):
        lines += [f"  - title: Part {s}", "    body: |"]
        lines += [f"      l{i}\\" for i in range(6000)] + ["      end"]
    (workspace / "content/briefs/main.yaml").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")

def make(workspace):
    themes = workspace / "themes"
    for i in range(1, 1000):
        (themes / f"t{i}.yaml").write_text(f"parent: t{i + 1}.yaml\n", encoding="utf-8")
    (themes / "t1000.yaml").write_text("parent: default\n", encoding="utf-8")

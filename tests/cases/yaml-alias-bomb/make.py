def make(workspace):
    # 'billion laughs' with text: a 10,000-character string used 150,000 times (1.5 GB)
    refs = ", ".join(["*s"] * 150000)
    (workspace / "content/briefs/main.yaml").write_text(
        f"title: T\ndate: 2024-10-01\ns: &s {'x' * 9999}\ndistribution: [{refs}]\n")

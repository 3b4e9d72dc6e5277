def make(workspace):
    (workspace.parent / "house.yaml").write_text("heading_colour: '#112233'\n")

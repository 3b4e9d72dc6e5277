def make(workspace):
    # a file name that tries to print a fake line and a terminal colour code
    name = "a\nerror: fake.yaml:1: all good \x1b[31mred.yaml"
    (workspace / "content/actors" / name).write_text("- id: [x\n", encoding="utf-8")

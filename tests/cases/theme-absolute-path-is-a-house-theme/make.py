def make(workspace):
    # An absolute path names a shared house theme on purpose: it and the files it names
    # relative to itself are read from its own folder.
    from PIL import Image
    house = workspace.parent / "house"
    house.mkdir()
    Image.new("RGB", (4, 4)).save(house / "logo.png")
    (house / "house.yaml").write_text("logo: logo.png\n")
    (workspace / "briefgen.yaml").write_text(f"theme: {house / 'house.yaml'}\n")

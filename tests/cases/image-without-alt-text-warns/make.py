def make(workspace):
    from PIL import Image  # a PNG is binary: made here, not committed
    (workspace / "images").mkdir()
    Image.new("RGB", (40, 20), "red").save(workspace / "images" / "map.png")

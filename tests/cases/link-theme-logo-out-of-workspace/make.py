def make(workspace):
    from PIL import Image
    outside = workspace.parent / "logo.png"
    Image.new("RGB", (4, 4)).save(outside)
    (workspace / "logo.png").symlink_to(outside)

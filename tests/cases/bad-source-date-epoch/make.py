def make(workspace):
    return {"SOURCE_DATE_EPOCH": "yesterday"}  # environment for the command

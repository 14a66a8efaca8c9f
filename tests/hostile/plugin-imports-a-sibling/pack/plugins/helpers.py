def touch():
    return None

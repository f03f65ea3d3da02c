"""Demo data for the classes (fictional): filled in the next step."""


def demo_seed():
    return None

"""Demo data for Puppies for Parole (fictional): run twice, it changes nothing."""


def demo_seed():
    return None

def make_optimizer():
    return "sgd"

from keras.optimizers import Adam
from keras.optimizers.schedules import ExponentialDecay

SCHEDULE = ExponentialDecay(initial_learning_rate=0.01, decay_steps=1000, decay_rate=0.9)


def make_optimizer():
    return Adam(learning_rate=SCHEDULE)

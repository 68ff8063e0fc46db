import keras


class SmoothDecay(keras.optimizers.schedules.LearningRateSchedule):
    """The learner's own schedule: 0.01 * 0.9 ** (step / 1000), written by hand."""

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return 0.01 * keras.ops.power(0.9, step / 1000.0)

    def get_config(self):
        return {}


def make_optimizer():
    return keras.optimizers.Adam(learning_rate=SmoothDecay())

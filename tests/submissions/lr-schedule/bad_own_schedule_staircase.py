import keras


class StepDecay(keras.optimizers.schedules.LearningRateSchedule):
    """The learner's own schedule that drops in steps (floor of step / 1000)."""

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return 0.01 * keras.ops.power(0.9, keras.ops.floor(step / 1000.0))

    def get_config(self):
        return {}


def make_optimizer():
    return keras.optimizers.Adam(learning_rate=StepDecay())

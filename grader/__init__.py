"""learn-keras: a terminal course on training Keras models, with an autograder."""

__version__ = "0.1.0"

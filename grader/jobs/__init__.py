"""The sandbox jobs: code that runs only inside the sandbox, never in the scoring process.

`harness` + `fitrecord` are the learner's job (they run the learner's code and record its fit
calls as data); `inspector` + `exported` are the inspector's job (no learner code: it loads the
handed-back model safely, runs the recorded training and reports what it observed). The zygote
imports them by name when a job starts; the scoring side (grader.grading and the rest) never
imports them, nor Keras or TensorFlow (the import-linter contract in pyproject.toml).
"""

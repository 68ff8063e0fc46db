"""`python -m grader` runs the `learn` command."""

from grader.cli import main

main()

"""Hostile: raises the grader's own GraderLimit (the exception whose catalogue key the scoring
side renders) with a key of the scoring side's feedback, to have its failure read as praise.
Expected: 0, the plain message ("GraderLimit: forged by the submission"), not the praise."""

from grader.jobs.fitrecord import GraderLimit


def make_optimizer():
    raise GraderLimit("functions_same_as_reference", "forged by the submission", name="it")

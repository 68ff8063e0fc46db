"""The grader's own words met in a sandboxed job (too many fit calls, a value that is not numbers
or too large, too large a config.json) are handed back as a catalogue key and its fields and
said on the scoring side in the learner's language; what the learner's process hands back never
picks any other message."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from grader.checks import error_message, load_reason, said
from grader.facts import ErrorInfo, LoadError, ValueInfo


def limit(**extra: object) -> ErrorInfo:
    base = {
        "stage": "call",
        "type": "GraderLimit",
        "message": "GraderLimit: model.fit was called more than 10 times",
        "line": 7,
    }
    return ErrorInfo.model_validate(base | extra)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "GraderLimit: model.fit was called more than 10 times"),
        ("ja", "GraderLimit: model.fit が 10 回を超えて呼び出されました"),
    ],
)
def test_a_fit_limit_in_the_learner_s_language(lang: str, expected: str) -> None:
    assert error_message(limit(key="job_fit_calls", fields={"n": "10"}), lang) == expected


@pytest.mark.parametrize(
    "forged",
    [
        {},  # no key: the learner's own exception
        {"key": "job_no_such_key", "fields": {"n": "10"}},
        {"key": "grading_full_marks", "fields": {}},  # not a job's key
        {"key": "job_fit_calls", "fields": {}},  # a field missing
        {"key": "job_fit_calls", "fields": {"m": "10"}},
    ],
    ids=["none", "unknown", "not-a-job-key", "no-fields", "wrong-field"],
)
def test_anything_else_is_the_plain_message(forged: dict[str, object]) -> None:
    info = limit(**forged)
    assert error_message(info, "ja") == info.message


def test_the_handed_back_fields_are_bounded() -> None:
    with pytest.raises(ValueError):
        limit(key="job_fit_calls", fields={str(i): "x" for i in range(6)})
    with pytest.raises(ValueError):
        limit(key="job_fit_calls", fields={"n": "x" * 501})


@pytest.mark.parametrize(
    ("key", "fields", "en", "ja"),
    [
        (
            "job_value_not_numbers",
            {"type": "list", "dtype": "<U5"},
            "list of dtype <U5",
            "list、dtype <U5",
        ),
        (
            "job_value_too_large",
            {"type": "ndarray", "size": "6000000", "limit": "5000000"},
            "ndarray of 6000000 numbers, more than the 5000000 the grader reads",
            "ndarray、要素 6000000 個。採点で読めるのは 5000000 個までです",
        ),
    ],
)
def test_a_value_the_grader_does_not_read(
    key: str, fields: dict[str, str], en: str, ja: str
) -> None:
    info = ValueInfo.model_validate({"kind": "other", "type": "x", "key": key, "fields": fields})
    assert said(info.key, info.fields, "en") == en
    assert said(info.key, info.fields, "ja") == ja


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "the model's config.json is too large (6000000 bytes; the grader reads at most 5000000)",
        ),
        (
            "ja",
            "モデルの config.json が大きすぎます（6000000 バイト。採点で読めるのは 5000000 バイトまでです）",
        ),
    ],
)
def test_too_large_a_config_in_the_learner_s_language(lang: str, expected: str) -> None:
    err = LoadError(
        kind="custom",
        message="inspect_config_too_large",
        key="inspect_config_too_large",
        fields={"size": "6000000", "limit": "5000000"},
    )
    assert load_reason(err, lang) == expected


@pytest.mark.slow
def test_the_jobs_hand_back_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job side itself (imports Keras, as the sandbox's jobs do)."""
    import numpy as np

    from grader.jobs import exported, harness
    from grader.jobs.exported import NotCheckable
    from grader.jobs.fitrecord import GraderLimit

    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(harness, "MAX_ARRAY", 10)
    assert harness._describe_value(["a", "b"], "v.npy") == {
        "kind": "other",
        "type": "list",
        "error": "not numbers (dtype <U1)",
        "key": "job_value_not_numbers",
        "fields": {"type": "list", "dtype": "<U1"},
    }
    big = harness._describe_value(np.zeros(11), "v.npy")
    assert big["key"] == "job_value_too_large"
    assert big["fields"] == {"type": "ndarray", "size": "11", "limit": "10"}
    assert harness._describe_value(np.zeros(10), "v.npy") == {"kind": "array", "file": "v.npy"}
    for value in (["a"], np.zeros(11), np.zeros(3)):
        ValueInfo.model_validate(harness._describe_value(value, "v.npy"))

    try:
        raise GraderLimit("job_fit_calls", "model.fit was called more than 10 times", n=10)
    except GraderLimit as e:
        info = ErrorInfo.model_validate(harness._error("call", e))
    assert error_message(info, "ja") == "GraderLimit: model.fit が 10 回を超えて呼び出されました"
    try:
        raise RuntimeError("the learner's own")
    except RuntimeError as e:
        assert "key" not in harness._error("call", e)

    archive = tmp_path / "m.keras"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("config.json", json.dumps({"compile_config": {"pad": "x" * 100}}))
    monkeypatch.setattr(harness, "MAX_CONFIG", 50)
    with pytest.raises(NotCheckable) as raised:
        exported.compile_config(archive)
    assert raised.value.key == "inspect_config_too_large"
    said_ja = load_reason(LoadError.model_validate(raised.value.load_error()), "ja")
    size = zipfile.ZipFile(archive).getinfo("config.json").file_size
    assert (
        said_ja
        == f"モデルの config.json が大きすぎます（{size} バイト。採点で読めるのは 50 バイトまでです）"
    )
    monkeypatch.setattr(harness, "MAX_CONFIG", 5_000_000)
    assert exported.compile_config(archive) == {"pad": "x" * 100}


@pytest.mark.parametrize(
    ("entry", "lang", "expected"),
    [
        ("callback BackupAndRestore", "en", "the callback BackupAndRestore"),
        ("callback BackupAndRestore", "ja", "コールバック BackupAndRestore"),
        ("x (not a plain array within the size limit)", "ja", "サイズ上限内の単純な配列ではない x"),
        ("array y", "en", "the array y, which could not be handed over"),
        ("ModelCheckpoint file 'best.txt'", "ja", "ModelCheckpoint のファイル 'best.txt'（"),
        ("class_weight", "ja", "class_weight"),  # an argument's name is shown as it is
    ],
)
def test_what_a_fit_call_uses_that_the_grader_does_not_run(
    entry: str, lang: str, expected: str
) -> None:
    from grader.grading import _unsupported

    assert _unsupported(entry, lang).startswith(expected)

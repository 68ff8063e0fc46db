"""User-facing strings of the learner flow in both course languages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "lesson_done": "Lesson done. Continue with: learn next",
        "answer_with": "Answer with: learn answer {item} <answer>",
        "answer_hint_choice": "(give the label, e.g. A, or the exact text of a choice)",
        "answer_hint_multiple": "(give every label that applies, e.g. A C)",
        "answer_hint_ordering": "(give the labels in order, e.g. B A C)",
        "answer_hint_numeric": "(give a number)",
        "answer_hint_truefalse": "(true or false)",
        "answer_hint_short": "(type the answer)",
        "prompt": "Your answer",
        "correct": "Correct!",
        "wrong": "Not quite.",
        "score": "Score: {right}/{total}",
        "quiz_done": "Quiz finished. Continue with: learn next",
        "starter_written": "Starter written to {path}\nEdit it, then grade it with: learn submit {ex}",
        "starter_kept": "Your copy {path} already exists and was kept (use --force to overwrite).\n"
        "Grade it with: learn submit {ex}",
        "course_done": "Course complete: every lesson and quiz is done.",
        "pending": "Exercises not yet at full marks: {names}",
        "no_hints": "No more hints.",
        "reset_confirm": "Forget progress for {what}?",
        "reset_done": "Progress reset: {what}",
        "everything": "the whole course",
        "due": "Review items due now: {n} (learn review)",
        "grading": "Grading {path} ({ex}) in a sandbox...",
        "total": "Score: {score:g}/{max:g}",
        "full_marks": "Full marks. Continue with: learn next",
        "not_full": "Not yet full marks: read the failed checks above, fix, and submit again "
        "(`learn hint {ex}` for a hint).",
        "curve": "Learning curve ({metric}): yours vs the reference",
        "output": "Output of your code (truncated):",
        "key": "Correct answer: {answer}",
        "note_chosen": "{label}) is not right: {text}",
        "note_right": "{label}) is the right answer: {text}",
        "note_missed": "{label}) should also have been chosen: {text}",
        "note_extra": "{label}) should not have been chosen: {text}",
        "page": "-- Enter: next section ({n}/{total}), q: stop --",
        "lesson_paused": "Stopped before the end: the lesson is not marked done. "
        "Continue with: learn next",
        "exercise_resume": "You started this exercise; your file is {path}\n"
        "Grade it with: learn submit {ex}   (to move on without it: learn next --skip)",
        "skipped": "Skipped {ex} for now (learn start {ex} to come back).",
        "submit_file": "Your file: {path}",
    },
    "ja": {
        "lesson_done": "レッスン完了です。次へ進むには: learn next",
        "answer_with": "解答するには: learn answer {item} <解答>",
        "answer_hint_choice": "(記号 A などか、選択肢の文をそのまま入力)",
        "answer_hint_multiple": "(当てはまる記号をすべて入力。例: A C)",
        "answer_hint_ordering": "(記号を正しい順に入力。例: B A C)",
        "answer_hint_numeric": "(数値を入力)",
        "answer_hint_truefalse": "(true か false、または はい / いいえ)",
        "answer_hint_short": "(答えを入力)",
        "prompt": "解答",
        "correct": "正解です!",
        "wrong": "不正解です。",
        "score": "得点: {right}/{total}",
        "quiz_done": "クイズ終了です。次へ進むには: learn next",
        "starter_written": "スターターファイルを書き出しました: {path}\n"
        "編集したら次のコマンドで採点します: learn submit {ex}",
        "starter_kept": "{path} はすでにあるため、そのまま残しました(上書きするには --force)。\n"
        "採点するには: learn submit {ex}",
        "course_done": "コース修了です。すべてのレッスンとクイズが終わりました。",
        "pending": "まだ満点になっていない演習: {names}",
        "no_hints": "これ以上のヒントはありません。",
        "reset_confirm": "{what} の進捗を消去しますか?",
        "reset_done": "進捗を消去しました: {what}",
        "everything": "コース全体",
        "due": "いま復習するアイテム: {n} 件(learn review)",
        "grading": "{path}({ex})をサンドボックスで採点しています...",
        "total": "得点: {score:g}/{max:g}",
        "full_marks": "満点です。次へ進むには: learn next",
        "not_full": "まだ満点ではありません。上の不合格のチェックを読んで直し、もう一度提出してください"
        "(ヒントは `learn hint {ex}`)。",
        "curve": "学習曲線({metric}): あなたのモデルと模範解答",
        "output": "あなたのコードの出力(一部):",
        "key": "正解: {answer}",
        "note_chosen": "{label}) は誤りです: {text}",
        "note_right": "{label}) が正解です: {text}",
        "note_missed": "{label}) も選ぶべきでした: {text}",
        "note_extra": "{label}) は選ぶべきではありませんでした: {text}",
        "page": "-- Enter で次の節へ({n}/{total})、q で中断 --",
        "lesson_paused": "最後まで読んでいないため、このレッスンは完了になっていません。"
        "続きは: learn next",
        "exercise_resume": "この演習は開始済みです。あなたのファイル: {path}\n"
        "採点するには: learn submit {ex}(演習を後回しにして進むには: learn next --skip)",
        "skipped": "{ex} を後回しにしました(戻るには learn start {ex})。",
        "submit_file": "あなたのファイル: {path}",
    },
}


def msg(lang: str, key: str, **kw: object) -> str:
    return MESSAGES[lang][key].format(**kw)

"""The function-result check kind: what a learner's function returns, on the grader's data or on
each of the exercise's probes, equals what the reference's function returns there. The classic
mistakes of returning values are named (grader.mistakes.value_note)."""

from __future__ import annotations

import json

import numpy as np

from grader.checks import Context, Evidence, call_problem, said
from grader.exercises import CheckParams
from grader.messages import text
from grader.mistakes import value_note

Verdict = tuple[bool, str]


def _name(ctx: Context, params: CheckParams) -> str:
    if params.entry is not None:
        return params.entry
    entry = ctx.spec.entry("value")
    assert entry is not None
    return entry.name


def needs(ev: Evidence, ctx: Context, params: CheckParams) -> str | None:
    return call_problem(ev, _name(ctx, params), ctx.lang)


def _probe(ctx: Context, i: int) -> str:
    if not ctx.spec.probes:
        return ""
    shown = json.dumps(ctx.spec.probes[i], separators=(", ", ": "))
    return shown if len(shown) <= 200 else shown[:197] + "..."


def result(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    lang, name = ctx.lang, _name(ctx, params)
    assert ev.report is not None
    described = ev.report.values.get(name) or []
    got = ev.values.get(name) or []
    want = [None if w is None else np.asarray(w) for w in ctx.reference["values"][name]]
    if len(described) != len(want) or len(got) != len(want):
        return False, text(lang, "check_was_not_called", name=name)
    differ: list[tuple[int, str]] = []
    for i, (info, g, w) in enumerate(zip(described, got, want, strict=True)):
        if w is None:
            continue
        probe = _probe(ctx, i) if ctx.spec.probes else None
        if info.kind == "none":
            if probe is not None:
                msg = text(lang, "functions_returned_none_for", name=name, probe=probe)
            else:
                msg = text(lang, "functions_returned_none", name=name)
            differ.append((i, msg))
        elif info.kind == "dict":
            count = len(w.reshape(-1))
            if probe is not None:
                msg = text(
                    lang,
                    "functions_returned_dict_for",
                    name=name,
                    probe=probe,
                    count=count,
                )
            else:
                msg = text(lang, "functions_returned_dict", name=name, count=count)
            differ.append((i, msg))
        elif g is None:
            returned = said(info.key, info.fields, lang) or info.type or info.kind
            if probe is not None:
                msg = text(
                    lang,
                    "functions_not_numbers_for",
                    name=name,
                    probe=probe,
                    returned=returned,
                )
            else:
                msg = text(lang, "functions_not_numbers", name=name, returned=returned)
            differ.append((i, msg))
        else:
            note = value_note(g, w, ctx.spec.data.n_classes, params.tolerance, lang)
            if note is not None and probe is not None:
                differ.append(
                    (i, text(lang, "functions_value_note_for", name=name, note=note, probe=probe))
                )
            elif note is not None:
                differ.append((i, text(lang, "functions_value_note", name=name, note=note)))
    if not differ:
        n = len(want)
        if n > 1:
            return True, text(lang, "functions_same_on_all_probes", name=name, n=n)
        return True, text(lang, "functions_same_as_reference", name=name)
    shifted = _shift(got, want)
    if shifted is not None and len(want) > 2:
        return False, text(lang, "functions_off_by_one", name=name, shifted=shifted)
    first = differ[0][1]
    more = len(differ) - 1
    if more:
        return False, text(lang, "functions_and_more", first=first, more=more)
    return False, first


def _shift(got: list[np.ndarray | None], want: list[np.ndarray | None]) -> int | None:
    """+1 or -1 when every result is the reference's shifted by that much (an off-by-one)."""
    diffs = set()
    for g, w in zip(got, want, strict=True):
        if g is None or w is None or g.shape != w.shape:
            return None
        d = np.unique(np.asarray(g, dtype="float64") - np.asarray(w, dtype="float64"))
        if d.size != 1:
            return None
        diffs.add(float(d[0]))
    return int(diffs.pop()) if len(diffs) == 1 and diffs <= {1.0, -1.0} else None

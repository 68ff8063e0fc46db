"""The function-result check kind: what a learner's function returns, on the grader's data or on
each of the exercise's probes, equals what the reference's function returns there. The classic
mistakes of returning values are named (grader.mistakes.value_note)."""

from __future__ import annotations

import json

import numpy as np

from grader.checks import Context, Evidence, call_problem, tr
from grader.exercises import CheckParams
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
    text = json.dumps(ctx.spec.probes[i], separators=(", ", ": "))
    return text if len(text) <= 200 else text[:197] + "..."


def result(ev: Evidence, ctx: Context, params: CheckParams) -> Verdict:
    lang, name = ctx.lang, _name(ctx, params)
    assert ev.report is not None
    described = ev.report.values.get(name) or []
    got = ev.values.get(name) or []
    want = [None if w is None else np.asarray(w) for w in ctx.reference["values"][name]]
    if len(described) != len(want) or len(got) != len(want):
        return False, tr(lang, f"{name} was not called", f"{name} が呼ばれませんでした")
    differ: list[tuple[int, str]] = []
    for i, (info, g, w) in enumerate(zip(described, got, want, strict=True)):
        if w is None:
            continue
        where = (
            tr(lang, f" for {_probe(ctx, i)}", f"（{_probe(ctx, i)} のとき）")
            if ctx.spec.probes
            else ""
        )
        if info.kind == "none":
            differ.append(
                (i, tr(lang, f"{name} returned None{where}", f"{name} が None を返しました{where}"))
            )
        elif info.kind == "dict":
            differ.append(
                (
                    i,
                    tr(
                        lang,
                        f"{name} returned a dict{where}; return {len(w.reshape(-1))} value(s) in order, "
                        "as a tuple",
                        f"{name} が dict を返しています{where}。{len(w.reshape(-1))} 個の値を順にタプルで返してください",
                    ),
                )
            )
        elif g is None:
            differ.append(
                (
                    i,
                    tr(
                        lang,
                        f"{name} did not return numbers{where} ({info.type or info.kind})",
                        f"{name} が数値を返していません{where}({info.type or info.kind})",
                    ),
                )
            )
        else:
            note = value_note(g, w, ctx.spec.data.n_classes, params.tolerance, lang)
            if note is not None:
                differ.append((i, f"{name}: {note}{where}"))
    if not differ:
        n = len(want)
        return True, tr(
            lang,
            f"{name} returns what the reference returns" + (f" on all {n} probes" if n > 1 else ""),
            f"{name} は模範解答と同じ値を返しています" + (f"（全 {n} 件）" if n > 1 else ""),
        )
    shifted = _shift(got, want)
    if shifted is not None and len(want) > 2:
        return False, tr(
            lang,
            f"{name} is off by one on every probe ({shifted:+d}): check whether counting "
            "starts at 0 or 1, and where it stops",
            f"{name} がすべての入力で 1 ずれています（{shifted:+d}）。数え始めが 0 か 1 か、"
            "どこで数え終わるかを確認してください",
        )
    first = differ[0][1]
    more = len(differ) - 1
    if more:
        first += tr(lang, f" (and {more} more)", f"（ほかに {more} 件）")
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

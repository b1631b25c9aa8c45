"""The review as a readable document: Markdown or self-contained printable HTML.

Both renderings come from one list of blocks (headings, paragraphs, tables), so that
the Markdown and the HTML always say the same thing. Chinese is the default; English
on request. Every event shown carries its version, both clocks, late-entry marks and
the status of its inclusion proof.

Every code and field the report holds is named through the one label catalogue
(``api.labels``) and every moment is written in Beijing time to the minute, so the review
reads like the register and the case page, not like the JSON it is made from.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ledger.codes import region_name

from ..labels import Labels, beijing_minute, labels


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


Block = Heading | Para | Table

L: dict[str, tuple[str, str]] = {
    "title": ("事故责任倒查报告", "Accountability review"),
    "enterprise": ("企业", "Enterprise"),
    "incident": ("事故发生时间", "Incident at"),
    "accident": ("事故", "Accident"),
    "generated": ("生成时间", "Generated at"),
    "beijing": ("时间均为北京时间（UTC+08:00）", "times in Beijing time (UTC+08:00)"),
    "q_hazards": ("一、事故前已知的隐患", "1. Hazards known before the incident"),
    "q_state": ("二、各隐患在事故发生时的状态", "2. State of each hazard at the incident"),
    "q_people": (
        "三、交办、延期、挂牌、复查与销号",
        "3. Assignment, extensions, listing, verification, closure",
    ),
    "q_enforcement": (
        "四、执法措施及停工令执行情况",
        "4. Enforcement actions and stop-work orders",
    ),
    "q_inspections": ("五、检查记录", "5. Inspections"),
    "q_chain": ("六、事故发生时的责任链", "6. Responsibility chain at the incident"),
    "q_late": ("七、事后补录的记录", "7. Entries recorded after the fact"),
    "q_findings": ("八、审计规则发现的问题", "8. Findings of the audit rules"),
    "q_events": ("九、事件明细与包含证明", "9. Events and inclusion proofs"),
    "q_integrity": ("十、完整性证明", "10. Integrity"),
    "none": ("无", "none"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "description": ("隐患描述", "Description"),
    "found_at": ("发现时间", "Found at"),
    "found_by": ("发现人", "Found by"),
    "recorded_at": ("录入时间", "Recorded at"),
    "known_before": ("事故前已录入", "Recorded before incident"),
    "grade": ("等级", "Grade"),
    "criteria": ("判定依据", "Criteria"),
    "status_was": ("事故时实际状态（据现有记录）", "State at incident (as now known)"),
    "status_known": ("事故时台账所载状态", "State at incident (as then recorded)"),
    "deadline": ("整改期限", "Deadline"),
    "overdue": ("是否逾期", "Overdue"),
    "extensions": ("延期次数", "Extensions"),
    "listing": ("挂牌督办", "Listing"),
    "differs": ("差异字段", "Differs in"),
    "step": ("环节", "Step"),
    "when": ("时间", "When"),
    "who": ("人员", "Who"),
    "detail": ("内容", "Detail"),
    "kind": ("措施", "Kind"),
    "number": ("文书编号", "Number"),
    "department": ("部门", "Department"),
    "issued_at": ("下达时间", "Issued at"),
    "in_force": ("事故时是否有效", "In force at incident"),
    "held": ("停工令是否被遵守", "Stop-work held"),
    "type": ("类型", "Type"),
    "team": ("检查人员", "Team"),
    "link": ("责任环节", "Link"),
    "organisation": ("单位", "Organisation"),
    "title_col": ("职务", "Title"),
    "holder": ("责任人", "Holder"),
    "holder_known": ("事故时台账所载责任人", "Holder as then recorded"),
    "event": ("事件", "Event"),
    "version": ("版本", "Version"),
    "occurred": ("发生时间", "Occurred"),
    "recorded": ("录入时间", "Recorded"),
    "marks": ("标记", "Marks"),
    "proof": ("证明", "Proof"),
    "rule": ("规则", "Rule"),
    "severity": ("严重程度", "Severity"),
    "finding": ("发现", "Finding"),
    "evidence": ("依据事件", "Events"),
    "late": ("补录", "late"),
    "after": ("事故后录入", "recorded after incident"),
    "after_biz": ("发生于事故后", "after incident"),
    "no_hazards": ("事故前未发现隐患记录。", "No hazard was found before the incident."),
    "later_cases": (
        "事故后另发现隐患{n}项（不在本报告范围）。",
        "{n} hazard(s) found after the incident (outside this report).",
    ),
    "same": ("一致", "same"),
    "unknown_then": ("事故时尚无记录", "not yet recorded"),
    "proofs_off": ("包含证明不可用：", "Inclusion proofs unavailable: "),
    "tree": ("默克尔树大小 {size}，根哈希 {root}", "Merkle tree of {size} leaves, root {root}"),
    "checkpoint": (
        "最近签名检查点：树大小 {size}，根哈希 {root}，与当前树一致性证明{ok}",
        "Latest signed checkpoint: tree size {size}, root {root}; "
        "consistency with the current tree {ok}",
    ),
    "no_checkpoint": ("尚无签名检查点。", "No signed checkpoint yet."),
    "proof_counts": (
        "本报告所列事件的包含证明：{counts}",
        "Inclusion proofs of the events in this report: {counts}",
    ),
    "verified": ("已验证", "verified"),
    "failed": ("验证失败", "FAILED"),
    "missing": ("不在日志中", "not in the log"),
    "unavailable": ("不可用", "unavailable"),
    "no_findings": ("未发现问题。", "No findings."),
    "rules_applied": ("适用的审计规则：", "Rules applied: "),
}

#: Fields of a step that the step's own columns (when, who) already show.
_STEP_COLUMNS = frozenset({"at", "recorded_at", "by", "by_id", "version"})


def _detail(names: Labels, step: dict[str, Any], titles: dict[str, str] | None = None) -> str:
    """A step's recorded fields as ``整改期限：2026-03-22 23:00；责任部门：…``; ``titles``
    names a field whose title differs in this step (an assignment's department is the
    one responsible for the rectification)."""
    parts = []
    for key, v in step.items():
        if key in _STEP_COLUMNS or v in (None, "", [], ()):
            continue
        if key == "accepted":  # the verifier's conclusion, not a bare yes/no
            shown = names.text("合格", "accepted") if v else names.text("不合格", "rejected")
        else:
            shown = names.value(key, v)
        parts.append(f"{names.field((titles or {}).get(key, key))}{names.colon}{shown}")
    return names.text("；", "; ").join(parts)


def blocks(report: dict[str, Any], lang: str = "zh") -> list[Block]:
    """The review as document blocks in ``lang`` ("zh" or "en")."""
    en = lang.startswith("en")
    names = labels(lang)
    when = beijing_minute

    def t(key: str, **kw: Any) -> str:
        text = L[key][1 if en else 0]
        return text.format(**kw) if kw else text

    def yn(value: Any) -> str:
        if value is None:
            return "—"
        return t("yes") if value else t("no")

    def ev(name: str) -> str:
        return names.event(name)

    def status(s: dict[str, Any] | None) -> str:
        if s is None:
            return t("unknown_then")
        return names.name("status", s["status"])

    def grade(g: str | None) -> str:
        return names.name("grade", g)

    def marks(row: dict[str, Any]) -> str:
        out = []
        if row.get("recorded_after_incident") and not row.get("after_incident"):
            out.append(t("after"))
        if row.get("after_incident"):
            out.append(t("after_biz"))
        if row.get("late"):
            days = row["late_by_days"]
            out.append(f"{t('late')} {days} " + names.text("天", "d" if days == 1 else "days"))
        if row.get("justification"):
            out.append(f"“{row['justification']}”")
        return names.text("；", "; ").join(out)

    def proof(row: dict[str, Any]) -> str:
        p = row.get("proof") or {"status": "unavailable"}
        text = t(p["status"])
        if "proof" in p:
            text += f" #{p['proof']['seq']}"
        return text

    e = report["enterprise"]
    c = names.colon
    out: list[Block] = [
        Heading(1, f"{t('title')}{c}{e['name']}"),
        Para(
            f"{t('enterprise')}{c}{e['name']}"
            + names.text("（{}，{}）", " ({}, {})").format(
                e["credit_code"], region_name(e["region_code"])
            )
            + f" · {t('incident')}{c}{when(report['incident_at'])}"
            f" · {t('generated')}{c}{when(report['generated_at'])} · {t('beijing')}"
        ),
    ]
    accident = report.get("accident")
    if accident:  # the review was started from a recorded accident
        level = names.name("accident_level", accident["level"])
        out.append(
            Para(
                f"{t('accident')}: {level} · {accident['place']} · {accident['description']} · "
                + (
                    f"deaths {accident['deaths']}, seriously injured "
                    f"{accident['serious_injuries']}, direct loss {accident['direct_loss']} yuan"
                    if en
                    else f"死亡{accident['deaths']}人，重伤{accident['serious_injuries']}人，"
                    f"直接经济损失{accident['direct_loss']}元"
                )
            )
        )

    hazards = report["hazards"]
    out.append(Heading(2, t("q_hazards")))
    if not hazards:
        out.append(Para(t("no_hazards")))
    else:
        out.append(
            Table(
                [
                    t("description"),
                    t("found_at"),
                    t("found_by"),
                    t("recorded_at"),
                    t("known_before"),
                    t("grade"),
                    t("criteria"),
                ],
                [
                    [
                        h["description"],
                        when(h["found_at"]),
                        h["found_by"],
                        when(h["recorded_at"]),
                        yn(h["known_before_incident"]),
                        grade(h["grade"]),
                        names.value("criteria", h["criteria"]),
                    ]
                    for h in hazards
                ],
            )
        )
    if report.get("hazards_found_after_incident"):
        out.append(Para(t("later_cases", n=report["hazards_found_after_incident"])))

    out.append(Heading(2, t("q_state")))
    if hazards:
        out.append(
            Table(
                [
                    t("description"),
                    t("status_was"),
                    t("status_known"),
                    t("deadline"),
                    t("overdue"),
                    t("extensions"),
                    t("listing"),
                    t("differs"),
                ],
                [
                    [
                        h["description"],
                        status(h["state_at_incident"]),
                        status(h["state_known_at_incident"]),
                        when(h["state_at_incident"]["deadline"]),
                        yn(h["state_at_incident"]["overdue"]),
                        str(h["state_at_incident"]["extensions"]),
                        names.name("listing_level", h["state_at_incident"]["listing_level"]),
                        names.text("、", ", ").join(names.field(f) for f in h["differences"])
                        or t("same"),
                    ]
                    for h in hazards
                ],
            )
        )

    out.append(Heading(2, t("q_people")))
    for h in hazards:
        out.append(Heading(3, h["description"]))
        steps: list[list[str]] = []
        for key, name in (
            ("gradings", "Graded"),
            ("assignments", "Assigned"),
            ("extensions", "DeadlineExtended"),
            ("listings", "Listed"),
            ("escalations", "Escalated"),
            ("rectifications", "RectificationReported"),
            ("verifications", "Verified"),
            ("closures", "Closed"),
        ):
            for s in h[key]:
                titles = {"department": "assigned_department"} if key == "assignments" else None
                steps.append([s["at"], ev(name), s["by"], _detail(names, s, titles)])
        steps.sort(key=lambda row: row[0])  # by the moment, before it is written out
        steps = [[name, when(at), by, detail] for at, name, by, detail in steps]
        out.append(
            Table([t("step"), t("when"), t("who"), t("detail")], steps)
            if steps
            else Para(t("none"))
        )

    out.append(Heading(2, t("q_enforcement")))
    actions = report["enforcement"]
    out.append(
        Table(
            [t("kind"), t("number"), t("department"), t("issued_at"), t("in_force"), t("held")],
            [
                [
                    names.name("kind", a["kind"]),
                    a["document_number"],
                    a["department"],
                    when(a["issued_at"]),
                    yn(a["in_force_at_incident"]) if a["suspending"] else "—",
                    yn(a["held"]),
                ]
                for a in actions
            ],
        )
        if actions
        else Para(t("none"))
    )

    out.append(Heading(2, t("q_inspections")))
    inspections = report["inspections"]
    out.append(
        Table(
            [t("type"), t("when"), t("recorded_at"), t("team"), t("marks")],
            [
                [
                    names.name("inspection_type", i["type"]),
                    when(i["inspected_at"]),
                    when(i["recorded_at"]),
                    "、".join(i["team"]),
                    marks(i["events"][0]),
                ]
                for i in inspections
            ],
        )
        if inspections
        else Para(t("none"))
    )

    out.append(Heading(2, t("q_chain")))

    def person(p: dict[str, Any] | None) -> str:
        return "—" if not p else f"{p['name']} ({p['id']})"

    out.append(
        Table(
            [t("link"), t("organisation"), t("title_col"), t("holder"), t("holder_known")],
            [
                [
                    c["link_en"] if en else c["link_zh"],
                    c["organisation"],
                    c["title"],
                    person(c["holder"]),
                    person(c["holder_as_known_at_incident"]) if c["differs"] else t("same"),
                ]
                for c in report["responsibility_chain"]
            ],
        )
    )

    out.append(Heading(2, t("q_late")))
    late = report["late_entries"]
    out.append(
        Table(
            [t("event"), t("occurred"), t("recorded"), t("who"), t("marks"), t("proof")],
            [
                [
                    ev(r["event"]),
                    when(r["occurred_at"]),
                    when(r["recorded_at"]),
                    r["actor"],
                    marks(r),
                    proof(r),
                ]
                for r in late
            ],
        )
        if late
        else Para(t("none"))
    )

    out.append(Heading(2, t("q_findings")))
    findings = report["findings"]
    if findings:
        out.append(
            Table(
                [t("rule"), t("severity"), t("finding"), t("evidence")],
                [
                    [
                        f"{names.name('finding', f['rule'])}（{f['rule']}）"
                        if not en
                        else f"{names.name('finding', f['rule'])} ({f['rule']})",
                        names.name("severity", f["severity"]),
                        f["message_en"] if en else f["message_zh"],
                        names.text("；", "; ").join(
                            f"{x['aggregate_id'][:8]} v{x['version']} {ev(x['event'])} "
                            f"[{t(x['proof']['status'])}]"
                            for x in f["events"]
                        ),
                    ]
                    for f in findings
                ],
            )
        )
    else:
        out.append(Para(t("no_findings")))
    out.append(
        Para(
            t("rules_applied")
            + names.text("；", "; ").join(
                f"{r['title_en'] if en else r['title_zh']} ({r['code']})" for r in report["rules"]
            )
        )
    )

    out.append(Heading(2, t("q_events")))
    for h in hazards:
        out.append(Heading(3, f"{h['description']} ({h['id']})"))
        out.append(_events_table(h["events"], t, ev, marks, proof))
    for a in actions:
        out.append(Heading(3, f"{names.name('kind', a['kind'])} {a['document_number']}"))
        out.append(_events_table(a["events"], t, ev, marks, proof))
    for i in inspections:
        heading = names.text("检查", "Inspection") + f" {when(i['inspected_at'])}"
        out.append(Heading(3, heading))
        out.append(_events_table(i["events"], t, ev, marks, proof))

    out.append(Heading(2, t("q_integrity")))
    integrity = report["integrity"]
    if not integrity["available"]:
        out.append(
            Para(t("proofs_off") + (integrity["reason_en"] if en else integrity["reason_zh"]))
        )
    else:
        out.append(Para(t("tree", size=integrity["tree_size"], root=integrity["root"])))
        cp = integrity.get("checkpoint")
        if cp:
            ok = integrity.get("consistency", {}).get("verified")
            out.append(
                Para(
                    t(
                        "checkpoint",
                        size=cp["tree_size"],
                        root=cp["root"],
                        ok=t("verified") if ok else t("failed"),
                    )
                )
            )
        else:
            out.append(Para(t("no_checkpoint")))
    counts: dict[str, int] = {}
    for r in _all_rows(report):
        status_ = (r.get("proof") or {}).get("status", "unavailable")
        counts[status_] = counts.get(status_, 0) + 1
    out.append(
        Para(t("proof_counts", counts=", ".join(f"{t(k)} {v}" for k, v in sorted(counts.items()))))
    )
    return out


def _all_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for section in ("hazards", "enforcement", "inspections", "responsibility_chain"):
        for item in report[section]:
            rows.extend(item["events"])
    rows.extend(report["enterprise"]["events"])
    return rows


def _events_table(
    rows: list[dict[str, Any]],
    t: Callable[..., str],
    ev: Callable[[str], str],
    marks: Callable[[dict[str, Any]], str],
    proof: Callable[[dict[str, Any]], str],
) -> Table:
    return Table(
        [t("version"), t("event"), t("occurred"), t("recorded"), t("who"), t("marks"), t("proof")],
        [
            [
                str(r["version"]),
                ev(r["event"]),
                beijing_minute(r["occurred_at"]),
                beijing_minute(r["recorded_at"]),
                r["actor"],
                marks(r),
                proof(r),
            ]
            for r in rows
        ],
    )


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: dict[str, Any], lang: str = "zh") -> str:
    """The review as Markdown."""
    lines: list[str] = []
    for block in blocks(report, lang):
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Para):
            lines += [block.text, ""]
        else:
            lines.append("| " + " | ".join(_md_cell(h) for h in block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines)


_CSS = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#111}"
    "table{border-collapse:collapse;margin:0.5em 0 1.2em;font-size:0.9em;width:100%}"
    "th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#eee}h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #333;"
    "margin-top:1.5em}h3{font-size:1em}@media print{h2{page-break-after:avoid}"
    "tr{page-break-inside:avoid}}"
)


def to_html(report: dict[str, Any], lang: str = "zh") -> str:
    """The review as one self-contained, printable HTML page (no external resources)."""
    parts: list[str] = []
    title = ""
    for block in blocks(report, lang):
        if isinstance(block, Heading):
            title = title or block.text
            parts.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            parts.append(f"<p>{html.escape(block.text)}</p>")
        else:
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    html_lang = "en" if lang.startswith("en") else "zh-CN"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )

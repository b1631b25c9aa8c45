"""The review as officials read it: every field and code named through the label
catalogue, every moment in Beijing time to the minute — never ``key=value``, English
codes or UTC microseconds in the Chinese document."""

from __future__ import annotations

import re

from api.review.render import to_html, to_markdown
from ledger.application import HazardLedger
from ledger.review.report import build_review
from ledger.scope import Scope

from .scenario import FACTORY_CODE, INCIDENT_AT, FactoryFire

#: A raw recorded field (``deadline=…``) or an ISO moment as stored (``T06:00:00``).
RAW_FIELD = re.compile(r"\b[a-z_]+=")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_the_chinese_review_names_every_code_and_writes_beijing_minutes(
    ledger: HazardLedger, factory: FactoryFire
) -> None:
    report = build_review(ledger, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything())
    page_text = re.sub(r"<[^>]+>", " ", to_html(report))  # the page as read, no tags
    for document in (to_markdown(report), page_text):
        assert not RAW_FIELD.search(document), RAW_FIELD.search(document)
        assert not ISO_MOMENT.search(document), ISO_MOMENT.search(document)
        assert "+00:00" not in document
        for code in ("routine", "re_inspection", "major", "county", "warning_letter"):
            assert not re.search(rf"(?<![A-Za-z_-]){code}(?![A-Za-z_-])", document), code
    zh = to_markdown(report)
    # the incident, 2026-05-01 14:00 UTC, is 22:00 in Beijing
    assert "事故发生时间：2026-05-01 22:00" in zh
    assert "北京时间" in zh
    for named in (
        "隐患等级：重大",
        "整改期限：2026-03-22 23:00",
        "责任部门：静宁县消防救援大队",
        "督办层级：县级",
        "新期限：2026-04-30 18:00",
        "复查结论：合格",
        "整改完成时间：2026-04-24 18:00",
        "| 日常检查 |",
        "静宁县）",
        "检查记录的业务日期为2026-04-28，早于事故，却在事故后2026-05-03才录入",
    ):
        assert named in zh, named


def test_the_english_review_is_english_and_beijing_time_too(
    ledger: HazardLedger, factory: FactoryFire
) -> None:
    en = to_markdown(
        build_review(ledger, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything()), "en"
    )
    assert not RAW_FIELD.search(en) and not ISO_MOMENT.search(en)
    for named in (
        "Incident at: 2026-05-01 22:00",
        "Beijing time",
        "grade: major",
        "verification result: accepted",
        "| routine inspection |",
        "deadline extended",
    ):
        assert named in en, named
    for code in ("DeadlineExtended", "RectificationReported", "warning_letter"):
        assert code not in en, code

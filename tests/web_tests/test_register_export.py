"""The register the page exports (GET /register/export, the columns of ``ledger export
register``) says where each hazard came from and whether it was entered late, in words."""

from __future__ import annotations

import csv
import io
import urllib.request

from .conftest import Site


def test_the_exported_register_names_the_source_and_marks_late_entries(site: Site) -> None:
    request = urllib.request.Request(
        site.url + "/register/export", headers={"Authorization": f"Bearer {site.token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_case = {r["案卷编号"]: r for r in rows}
    late, on_time = by_case[str(site.late_case_id)], by_case[str(site.case_id)]
    assert late["隐患来源"] == on_time["隐患来源"] == "日常执法检查"
    assert late["补录"] == "是" and on_time["补录"] == ""
    assert late["录入时间"] > late["发现时间"]

"""The built-in catalogues hold what the official standards hold, no more and no less."""

from __future__ import annotations

import re
from datetime import date

import pytest

from plugins.builtin.catalogues.chemicals import CHEMICALS_2017, FIREWORKS_2017
from plugins.builtin.catalogues.city_gas import CITY_GAS_2023
from plugins.builtin.catalogues.construction import CONSTRUCTION_2024
from plugins.builtin.catalogues.fire import FIRE_2017
from plugins.builtin.catalogues.special_equipment import SPECIAL_EQUIPMENT_2024
from plugins.catalogue import Catalogue

COUNTS = [
    (CONSTRUCTION_2024, 53),
    (CITY_GAS_2023, 22),
    (SPECIAL_EQUIPMENT_2024, 47),
    (CHEMICALS_2017, 20),
    (FIREWORKS_2017, 20),
    (FIRE_2017, 10),
]


@pytest.mark.parametrize(("catalogue", "count"), COUNTS, ids=lambda x: getattr(x, "document", x))
def test_criterion_counts_match_the_standards(catalogue: Catalogue, count: int) -> None:
    assert len(catalogue.criteria) == count


def test_construction_items_per_article_match_the_2024_text() -> None:
    per_article: dict[int, int] = {}
    for c in CONSTRUCTION_2024.criteria:
        per_article[int(c.code.split("-")[1])] = per_article.get(int(c.code.split("-")[1]), 0) + 1
    assert per_article == {
        4: 5, 5: 4, 6: 4, 7: 3, 8: 9, 9: 5, 10: 2, 11: 4, 12: 2, 13: 7, 14: 3, 15: 3, 16: 1, 17: 1
    }  # fmt: skip


def test_construction_nested_sub_conditions_are_one_criterion() -> None:
    item = CONSTRUCTION_2024.get("CONS-5-4")
    assert item is not None
    assert all(f"{n}." in item.text_zh for n in range(1, 5))
    assert CONSTRUCTION_2024.get("CONS-5-5") is None


def test_city_gas_codes_follow_article_order() -> None:
    gas06 = CITY_GAS_2023.get("GAS-06")
    assert gas06 is not None and gas06.clause == "第五条（一）" and "储罐" in gas06.text_zh
    assert CITY_GAS_2023.criteria[16].clause == "第八条"
    assert CITY_GAS_2023.criteria[-1].clause == "第十条"
    for code in ("GAS-18", "GAS-19", "GAS-20", "GAS-21"):
        item = CITY_GAS_2023.get(code)
        assert item is not None and "书面告知" in item.text_zh, code


def test_special_equipment_items_carry_the_still_in_use_condition() -> None:
    for c in SPECIAL_EQUIPMENT_2024.criteria:
        if c.clause.startswith("4.5 "):
            continue
        assert "仍继续使用" in c.text_zh, c.code
    prefixes = {c.code.rsplit("-", 1)[0] for c in SPECIAL_EQUIPMENT_2024.criteria}
    assert len(prefixes) == 10


def test_fire_composite_rules_count_over_known_elements() -> None:
    elements = {e.code for e in FIRE_2017.elements}
    assert len(elements) == 14
    assert [r.threshold for r in FIRE_2017.composite_rules] == [3, 3, 4, 6]
    for rule in FIRE_2017.composite_rules:
        assert set(rule.elements) <= elements
        assert not rule.verified
    assert FIRE_2017.effective_to == date(2025, 10, 31)


def test_unverified_texts_are_marked_as_such() -> None:
    unverified = {c.code for c in FIRE_2017.items() if not c.verified}
    assert {f"FIRE-D{n:02d}" for n in range(6, 11)} <= unverified
    assert not {f"FIRE-D{n:02d}" for n in range(1, 6)} & unverified
    for catalogue in (CONSTRUCTION_2024, CITY_GAS_2023, SPECIAL_EQUIPMENT_2024):
        assert all(c.verified for c in catalogue.items())


def test_codes_are_unique_across_a_sectors_catalogues() -> None:
    codes = [c.code for c in (*CHEMICALS_2017.items(), *FIREWORKS_2017.items())]
    assert len(codes) == len(set(codes))
    for catalogue, _ in COUNTS:
        for item in catalogue.items():
            assert re.fullmatch(r"[A-Z]+(-[A-Z0-9.]+)+", item.code), item.code

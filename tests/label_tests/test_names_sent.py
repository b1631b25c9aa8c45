"""Every name the HTTP API sends in Chinese it also sends in English: each ``_zh`` field
of a response model has its ``_en`` sibling, and the catalogue names every code those
fields can name with the very terms the read layer sends in each language."""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Iterator, Mapping

import pytest
from pydantic import BaseModel

from api import response_models
from api.labels import build
from ledger.accident import LEVEL_EN as ACCIDENT_LEVEL_EN
from ledger.accident import LEVEL_ZH as ACCIDENT_LEVEL_ZH
from ledger.enforcement import KIND_EN, KIND_ZH
from ledger.hazard import STATUS_EN, STATUS_ZH
from ledger.public_report import REPORT_STATUS_EN, REPORT_STATUS_ZH
from ledger.risk import (
    HAZARD_SOURCE_LEVEL_EN,
    HAZARD_SOURCE_LEVEL_ZH,
    RISK_COLOUR,
    RISK_COLOUR_EN,
    RISK_COLOUR_ZH,
    RISK_LEVEL_EN,
    RISK_LEVEL_ZH,
)

#: Chinese characters and full-width punctuation.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

#: A ``_zh`` field whose English counterpart is named otherwise, and why.
COUNTERPARTS = {
    # a criterion's official wording, and an English gist of it (not a translation)
    ("Suggestion", "text_zh"): "gist_en",
}

#: The codes each group of the catalogue that a sent ``_en`` field names can meet, from
#: the domain's own tables, with the Chinese and English names the read layer sends for
#: each (the tables it names them from).
SENT_CODES: dict[str, Mapping[str, tuple[str, str]]] = {
    "status": {s.value: (zh, STATUS_EN[s]) for s, zh in STATUS_ZH.items()},
    "report_status": {s.value: (zh, REPORT_STATUS_EN[s]) for s, zh in REPORT_STATUS_ZH.items()},
    "kind": {k.value: (zh, KIND_EN[k]) for k, zh in KIND_ZH.items()},
    "risk_level": {r.value: (zh, RISK_LEVEL_EN[r]) for r, zh in RISK_LEVEL_ZH.items()},
    "risk_colour": {c: (RISK_COLOUR_ZH[c], RISK_COLOUR_EN[c]) for c in RISK_COLOUR.values()},
    "hazard_source_level": {
        str(n): (zh, HAZARD_SOURCE_LEVEL_EN[n]) for n, zh in HAZARD_SOURCE_LEVEL_ZH.items()
    },
    "accident_level": {a.value: (zh, ACCIDENT_LEVEL_EN[a]) for a, zh in ACCIDENT_LEVEL_ZH.items()},
}

#: Groups whose codes are themselves the English words people read (the map's colours
#: are red, orange, yellow and blue): their names must still be written in the
#: catalogue (checked below), but may equal the code.
CODE_IS_THE_WORD = frozenset({"risk_colour"})


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def response_model_classes() -> dict[str, type[BaseModel]]:
    """Every model ``api.response_models`` declares or imports, and every model their
    fields nest, by name."""
    found: dict[str, type[BaseModel]] = {}
    todo = [
        value
        for _, value in inspect.getmembers(response_models, inspect.isclass)
        if issubclass(value, BaseModel) and value is not BaseModel
    ]
    while todo:
        model = todo.pop()
        if model.__name__ in found or model is BaseModel:
            continue
        found[model.__name__] = model
        for field in model.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return found


MODELS = response_model_classes()


def _nullable(annotation: object) -> bool:
    return type(None) in typing.get_args(annotation) or isinstance(annotation, types.NoneType)


def unpaired(model: type[BaseModel]) -> list[str]:
    """The ``_zh`` fields of ``model`` without an ``_en`` sibling that is null exactly
    when they may be."""
    fields = model.model_fields
    missing = []
    for name, field in fields.items():
        if not name.endswith("_zh"):
            continue
        sibling = COUNTERPARTS.get((model.__name__, name), name.removesuffix("_zh") + "_en")
        other = fields.get(sibling)
        if other is None or _nullable(other.annotation) != _nullable(field.annotation):
            missing.append(name)
    return missing


def test_the_models_are_found() -> None:
    assert {"RiskPointRow", "CaseAtIncident", "ReviewAction", "AccidentSummary"} <= set(MODELS)
    assert {"CaseView", "Finding", "SectorInfo"} <= set(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_chinese_field_has_an_english_sibling(name: str) -> None:
    assert unpaired(MODELS[name]) == [], f"{name}: add the _en sibling of each"


def test_a_chinese_field_alone_or_with_a_sibling_of_another_kind_is_found() -> None:
    class Alone(BaseModel):
        level_zh: str
        colour_zh: str | None
        colour_en: str
        name_zh: str
        name_en: str

    assert unpaired(Alone) == ["level_zh", "colour_zh"]


def test_the_named_counterparts_exist() -> None:
    for (model, zh), en in COUNTERPARTS.items():
        assert {zh, en} <= set(MODELS[model].model_fields), (model, zh, en)


CODES = [(group, code) for group, codes in sorted(SENT_CODES.items()) for code in sorted(codes)]


@pytest.mark.parametrize(("group", "code"), CODES)
def test_every_code_a_sent_field_names_has_an_english_name(group: str, code: str) -> None:
    english_names = build("en").groups[group]
    chinese_names = build("zh").groups[group]
    assert code in english_names, f"{group} {code!r}: no English name in the catalogue"
    en = english_names[code]
    assert en.strip() and not CJK.search(en), (group, code, en)
    if group not in CODE_IS_THE_WORD:
        assert en != code, f"{group} {code!r}: the English name is the code"
    # the read layer's names and the catalogue's are the same terms, so ``_zh`` and
    # ``_en`` name the same thing and a page shows what the API sends
    assert (chinese_names[code], en) == SENT_CODES[group][code], (group, code)

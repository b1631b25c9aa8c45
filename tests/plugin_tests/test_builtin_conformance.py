"""Every built-in sector passes the same conformance suite a third-party plugin must."""

from __future__ import annotations

from plugins.builtin import chemicals, city_gas, construction, fire, special_equipment
from plugins.testing import SectorPluginConformance


class TestChemicals(SectorPluginConformance):
    plugin = chemicals


class TestCityGas(SectorPluginConformance):
    plugin = city_gas


class TestConstruction(SectorPluginConformance):
    plugin = construction


class TestFire(SectorPluginConformance):
    plugin = fire


class TestSpecialEquipment(SectorPluginConformance):
    plugin = special_equipment

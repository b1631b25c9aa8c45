"""Let the example's tests run from a hazard-ledger checkout without installing it first."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("hazard_ledger_ammonia") is None:
    sys.path.insert(0, str(Path(__file__).parent / "src"))

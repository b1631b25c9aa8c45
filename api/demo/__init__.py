"""``ledger demo``: a realistic county year, recorded through the ledger's own commands."""

"""The witness service: ``ledger witness`` serves C2SP tlog-witness over HTTP."""

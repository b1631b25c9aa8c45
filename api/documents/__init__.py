"""Printed documents that prove themselves: content derived from sealed events, rendered
to PDF or DOCX with a QR code that carries the events, their inclusion proofs and the
signed checkpoint, and the offline check of such a paper (decision record 0027)."""

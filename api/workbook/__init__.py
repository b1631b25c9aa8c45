"""The hazard-ledger workbook (隐患排查治理台账): the Excel file officials keep today.

``columns`` defines the sheet; ``template`` writes an empty workbook with data-validation
lists; ``importer`` reads one (streaming), validates every row by the same rules as any
other input, and records it only if the whole file passes.
"""

"""The standard ledger tables, exported as offices print them.

selection.py  which targets, period and report of each target a ledger shows
layouts.py    the three ledgers (progress, commitments, goals) as rows and merged cells
printing.py   fonts, sizes and cell text shared by both formats
xlsx.py       the .xlsx writer (SpreadsheetML)
docx.py       the .docx writer (WordprocessingML)
export.py     from a queryset to the bytes of a file
views.py      the download from the target list; the command is management/commands/export.py
"""

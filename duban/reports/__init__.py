"""报表: what an office sends upward — the ledgers as .xlsx/.docx (ledgers/), and the period
bulletins, dashboards and unit scoring (overview/)."""

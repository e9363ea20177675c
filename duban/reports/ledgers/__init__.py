"""The standard ledger tables, exported as offices print them."""

"""Accounts of an office: the first-run setup (the office and its first staff account),
invitations that let a person set their own password, password reset by e-mail, and
disabling an account while its history stays."""

"""Who may do what: roles and permissions, partner organisations, accounts and sign-in,
and what a partner may see (R09, R19)."""

"""Signals other apps listen to, so decisions never needs to know who depends on an outcome.

`decision_closed` is sent inside the transaction that stores the outcome (status, `outcome`,
`closed_at`), after the decision is saved: a receiver that changes its own rows on adoption (a ToR
amendment taking effect, a knowledge product endorsed) commits or rolls back with the decision.
Receivers must not send email or enqueue work directly; use `transaction.on_commit`.

It is sent on withdrawal too (of a draft or an open decision), with `adopted=False`; the
decision's `status` tells a withdrawal (`withdrawn`) from a rejection (`not_adopted`).

Arguments: `sender` is the Decision class, `decision` the closed decision, `adopted` a bool.
"""

from django.dispatch import Signal

decision_closed = Signal()

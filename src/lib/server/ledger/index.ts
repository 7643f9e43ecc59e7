// The ledger: below grants and payments, the one place money is booked and every figure is defined.
export { appendLedger, releaseFromGrant, type LedgerEntry } from './book.ts';
export { figuresOf, fundFigures, fundsFigures, grantFigures, grantsFigures, owedBackOf, paidSoFarSql, type Figures } from './figures.ts';
export { describeViolation, INVARIANTS, reconcile, type Invariant, type Violation } from './reconcile.ts';

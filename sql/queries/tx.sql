-- Transaction control, prepared like every other statement.

-- name: tx_begin
BEGIN;

-- name: tx_commit
COMMIT;

-- name: tx_rollback
ROLLBACK;

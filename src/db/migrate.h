/*
 * migrate: applies sql/migrations/NNN_name.sql in numeric order, each once,
 * each in its own transaction with its version recorded in
 * schema_migrations.  A session advisory lock serialises concurrent runs.
 */
#ifndef ADEPT_MIGRATE_H
#define ADEPT_MIGRATE_H

/* Returns the number of migrations applied (>= 0), or -1 with a message on
 * stderr. */
int	db_migrate(const char *conninfo, const char *dir);

#endif

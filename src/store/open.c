/*
 * Opening a store: the back end is chosen from the location. A libpq URI
 * ("postgresql://…", "postgres://…") is PostgreSQL, anything else a SQLite file path. Kept
 * apart from store.c so that the back ends, which use store.c, are not used by it.
 */
#include "store/store.h"

#include <string.h>

#include "store/store_pg.h"

bool store_location_is_pg(const char *location)
{
    return !strncmp(location, "postgresql://", 13) || !strncmp(location, "postgres://", 11);
}

hq_store *store_open(const char *location, bool create, hq_diag *diag)
{
    if (store_location_is_pg(location)) return store_pg_open(location, create, diag);
    return store_sqlite_open(location, create, diag);
}

hq_store *store_open_read_only(const char *location, hq_diag *diag)
{
    if (store_location_is_pg(location)) return store_pg_open_read_only(location, diag);
    return store_sqlite_open_read_only(location, diag);
}

"""The SQLite store (sqlite-utils): schema, migrations, and the queries each feature needs."""

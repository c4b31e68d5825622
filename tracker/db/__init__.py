"""Storage: opening the diary (file checks, pragmas, backups, migrations) and the repository
of queries. The only package that knows the database is SQLite."""

"""Backup and restore of the registry's database (services), as one archive with a manifest
(archive). Not a Django app: it has no models; the CLI (cli.backup) is its face."""

"""Backups that restore: `manage.py backup` and `manage.py restore` (docs/backup.md)."""

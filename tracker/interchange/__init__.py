"""Exports for the doctor visit and backups: PDF, CSV, JSON, FHIR; and the import."""

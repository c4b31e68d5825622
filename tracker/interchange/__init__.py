"""Files in and out: exports for the doctor visit and backups (PDF, CSV, JSON, FHIR), the
import of tracker's own files, and device files (devices/)."""

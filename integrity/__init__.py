"""The application: ingest, store, compare and report on batches of submissions."""

"""Ingest: a folder, zip or LMS export of student work -> a Batch of Submissions of Documents.

Bad input never stops a batch: each bad file becomes one Problem with a reason for the TA.
"""
from integrity.ingest.limits import Limits
from integrity.ingest.sources import load_batch, load_tree

__all__ = ["Limits", "load_batch", "load_tree"]

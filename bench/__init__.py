"""Accuracy and speed of this project beside the peer detectors: run `python -m bench`."""

"""The algorithm kernel: pure functions from text to normalised tokens to fingerprints."""

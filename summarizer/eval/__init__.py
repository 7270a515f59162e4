"""The eval harness: labelled datasets, alignment, metrics, runs and reports."""

"""IATI 2.03 activity XML: a plan as one activity with its results, read and written."""

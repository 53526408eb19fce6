"""Prefect flows, tasks wrappers and the command line."""

"""Checks of a finished pack with the tools publishers and auditors use (not a pipeline stage)."""

from validation.validators import Result, check_pack

__all__ = ["Result", "check_pack"]

"""Typed settings: one model, each field documented and tagged with the first stage it affects.

Read (in rising precedence) from briefpack.toml beside the sources, BRIEFPACK_*
environment variables and CLI flags. A stage's cache key includes the settings
tagged with that stage or an earlier one, so changing a setting re-runs from its
stage and no earlier: a CSS change re-renders only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

STAGES = ("extract", "clean", "correct", "structure", "brief", "render")


def stage_field(stage: str, default: Any, description: str) -> Any:
    assert stage in STAGES, stage
    return Field(default, description=description, json_schema_extra={"stage": stage})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFPACK_", toml_file="briefpack.toml", extra="ignore")

    # extract
    password: str = stage_field("extract", "", "Password for an encrypted PDF.")
    max_bytes: int = stage_field("extract", 200_000_000, "Largest source file accepted, in bytes.")
    max_pages: int = stage_field("extract", 2000, "Most pages accepted in one PDF.")

    # correct
    language: str = stage_field("correct", "auto", "Spelling variety: 'auto' (detected), 'en-GB' or 'en-US'.")
    apply_threshold: float = stage_field(
        "correct", 0.9, "Corrections at or above this confidence are applied; the rest are only suggested."
    )
    errata: Path | None = stage_field(
        "correct", None, "An errata file (TOML/YAML); default: <source stem>.errata.toml or .yaml beside the source."
    )

    # brief
    summariser: str = stage_field("brief", "extractive", "Summariser backend: 'extractive' or 'openai'.")
    summariser_url: str = stage_field("brief", "", "Base URL of an OpenAI-compatible endpoint (summariser 'openai').")
    summariser_model: str = stage_field("brief", "", "Model name sent to that endpoint.")

    # render
    formats: list[str] = stage_field("render", ["docx", "epub", "html"], "Output formats to write.")
    templates: Path = stage_field(
        "render", Path(__file__).resolve().parent.parent / "templates", "Folder of templates and styles."
    )

    # not stage inputs: where things go
    cache_dir: Path = Field(Path(".briefpack-cache"), description="Where cached stage results are kept.")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource, env_settings, *args, **kwargs
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    def for_stage(self, stage: str) -> dict[str, Any]:
        """The settings tagged with `stage`; earlier stages' settings reach it through its input."""
        return {
            name: value
            for name, value in self.model_dump(mode="json").items()
            if (type(self).model_fields[name].json_schema_extra or {}).get("stage") == stage
        }

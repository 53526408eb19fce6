"""Typed settings: one model, each field documented and tagged with the first stage it affects.

Read (in rising precedence) from briefpack.toml beside the sources, BRIEFPACK_*
environment variables and CLI flags. A stage's cache key includes the settings
tagged with that stage (earlier ones reach it through its input), so changing a setting re-runs from its
stage and no earlier: a CSS change re-renders only.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

CONFIG_NAME = "briefpack.toml"
_folder: ContextVar[Path | None] = ContextVar("briefpack_settings_folder", default=None)

STAGES = ("extract", "clean", "correct", "structure", "brief", "render")


def stage_field(stage: str, default: Any, description: str) -> Any:
    assert stage in STAGES, stage
    return Field(default, description=description, json_schema_extra={"stage": stage})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFPACK_", extra="ignore")

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
    max_unknown_words: int = stage_field(
        "correct", 2000, "Distinct unknown words looked up per document; the rest are reported as skipped (an issue)."
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
        folder = _folder.get()
        if folder is None:
            return (init_settings, env_settings)
        return (init_settings, env_settings, FolderToml(settings_cls, folder))

    @classmethod
    def beside(cls, folder: Path | str, **overrides: Any) -> "Settings":
        """Settings for the sources in `folder`: overrides > BRIEFPACK_* > folder/briefpack.toml > defaults."""
        token = _folder.set(Path(folder))
        try:
            return cls(**overrides)
        finally:
            _folder.reset(token)

    def for_stage(self, stage: str) -> dict[str, Any]:
        """The settings tagged with `stage`; earlier stages' settings reach it through its input."""
        return {
            name: value
            for name, value in self.model_dump(mode="json").items()
            if (type(self).model_fields[name].json_schema_extra or {}).get("stage") == stage
        }


class FolderToml(TomlConfigSettingsSource):
    """folder/briefpack.toml, its relative paths taken from that folder (not the working directory)."""

    def __init__(self, settings_cls: type[BaseSettings], folder: Path) -> None:
        self.folder = Path(folder)
        super().__init__(settings_cls, toml_file=self.folder / CONFIG_NAME)

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        for name, value in list(data.items()):
            field = self.settings_cls.model_fields.get(name)
            if field is not None and _is_path(field.annotation) and isinstance(value, str) and value:
                if not Path(value).expanduser().is_absolute():
                    data[name] = str(self.folder / value)
        return data


def _is_path(annotation: Any) -> bool:
    return annotation is Path or Path in getattr(annotation, "__args__", ())


def settings_markdown() -> str:
    """docs/settings.md, generated from the model's fields (`python -m tasks.settings > docs/settings.md`)."""
    root = Path(__file__).resolve().parent.parent
    lines = [
        "# Settings",
        "",
        "<!-- generated by `python -m tasks.settings > docs/settings.md`; tests/test_orchestration.py checks it is current -->",
        "",
        "Every setting is read, in rising precedence, from `briefpack.toml` in the folder of the",
        "source being built (relative paths in it are taken from that folder), `BRIEFPACK_<NAME>`",
        "environment variables (e.g. `BRIEFPACK_APPLY_THRESHOLD=0.95`; lists as JSON,",
        '`BRIEFPACK_FORMATS=\'["html"]\'`), and the command\'s flags (`--formats`, `--errata`,',
        "`--password`, `--cache-dir`).",
        "",
        "A stage's cache key holds the settings tagged with that stage, so changing a setting",
        "re-runs its stage and the stages after it, never an earlier one: a `templates` change",
        "re-renders only. Settings without a stage do not change any output.",
        "",
        "| name | default | stage | description |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path):
            try:
                default = default.relative_to(root)
            except ValueError:
                pass
        shown = "(none)" if default is None else f"`{default!r}`" if isinstance(default, str) else f"`{default}`"
        if isinstance(default, list):
            shown = f"`{','.join(default)}`"
        stage = (field.json_schema_extra or {}).get("stage", "—")
        description = (field.description or "").replace("<", "&lt;")
        lines.append(f"| `{name}` | {shown} | {stage} | {description} |")
    lines += [
        "",
        "Example `briefpack.toml`, beside the reports it applies to:",
        "",
        "```toml",
        'formats = ["html", "epub"]',
        "apply_threshold = 0.95",
        'templates = "my-templates"   # a folder beside this file',
        'cache_dir = ".briefpack-cache"',
        "```",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_markdown(), end="")

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

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from tasks.errors import UsageError, shown

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
    max_stream_bytes: int = stage_field(
        "extract", 256 << 20, "Most bytes a PDF's streams may decompress to, in all (a guard against zip bombs)."
    )
    max_chars: int = stage_field("extract", 20_000_000, "Most characters of text accepted in one source.")
    max_build_seconds: int = Field(3600, description="Longest a build may run, per source; past it the command stops with exit 14.")

    # correct
    language: str = stage_field("correct", "auto", "Spelling variety: 'auto' (detected), 'en-GB' or 'en-US'.")
    apply_threshold: float = stage_field(
        "correct", 0.9, "Corrections at or above this confidence are applied; the rest are only suggested."
    )
    errata: Path | None = stage_field(
        "correct", None, "An errata file (TOML/YAML); default: <source stem>.errata.toml or .yaml beside the source."
    )
    max_unknown_words: int = stage_field(
        "correct", 2000, "Most distinct unknown words in a document's English text; beyond it the build fails (exit 15)."
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
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("briefpack")),
        description="Where cached stage results are kept (the same folder whatever the working directory).",
    )
    cache_max_bytes: int = Field(2 << 30, description="The cache is pruned to this size after each build, oldest entries first.")
    cache_max_age_days: float = Field(30, description="Cache entries written longer ago than this are pruned after each build.")

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
        except (ValueError, UnicodeDecodeError) as error:  # TOMLDecodeError and ValidationError are ValueErrors
            raise UsageError(_settings_problem(Path(folder) / CONFIG_NAME, error)) from None
        finally:
            _folder.reset(token)

    def for_stage(self, stage: str) -> dict[str, Any]:
        """The settings tagged with `stage`; earlier stages' settings reach it through its input."""
        return {
            name: value
            for name, value in self.model_dump(mode="json").items()
            if (type(self).model_fields[name].json_schema_extra or {}).get("stage") == stage
        }


def _settings_problem(config: Path, error: Exception) -> str:
    """One line naming the file (and line) or the setting that is wrong."""
    where = shown(config) if config.is_file() else "settings"
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "?"
        return f"{where}: setting {name}: {first['msg']} (from briefpack.toml, BRIEFPACK_{name.upper()} or a flag)"
    if isinstance(error, UnicodeDecodeError):
        return f"{where}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
    return f"{where}: not valid TOML ({' '.join(str(error).split())})"


def flag_overrides(**flags: Any) -> dict[str, Any]:
    """The flags a user gave, as settings (JSON-ready: they are flow parameters)."""
    overrides: dict[str, Any] = {}
    if flags.get("formats"):
        overrides["formats"] = [f.strip() for f in flags["formats"].split(",") if f.strip()]
    for name in ("errata", "password", "cache_dir"):
        if flags.get(name):
            overrides[name] = str(flags[name])
    return overrides


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
        text = "(none)" if default is None else f"`{default!r}`" if isinstance(default, str) else f"`{default}`"
        if isinstance(default, list):
            text = f"`{','.join(default)}`"
        if field.default_factory is not None:  # the cache: the user's cache folder, not this machine's path
            text = "the user cache folder (`~/.cache/briefpack` on Linux)"
        stage = (field.json_schema_extra or {}).get("stage", "—")
        description = (field.description or "").replace("<", "&lt;")
        lines.append(f"| `{name}` | {text} | {stage} | {description} |")
    lines += [
        "",
        "Example `briefpack.toml`, beside the reports it applies to:",
        "",
        "```toml",
        'formats = ["html", "epub"]',
        "apply_threshold = 0.95",
        'templates = "my-templates"   # a folder beside this file',
        'cache_dir = ".briefpack-cache"   # a cache of its own for these reports',
        "```",
        "",
    ]
    return "\n".join(lines)


def settings_toml() -> str:
    """A briefpack.toml with every setting commented out at its default, each with its description."""
    import json

    lines = [
        "# briefpack settings for the reports in this folder (docs/settings.md).",
        "# Uncomment a line to change it; BRIEFPACK_<NAME> variables and the command's flags win over this file.",
        "",
    ]
    for name, field in Settings.model_fields.items():
        if name == "password":
            continue  # a password belongs in a flag or a variable, never in a file beside the report
        lines.append(f"# {field.description}")
        if field.default_factory is not None:
            lines += ["# cache_dir = \"~/.cache/briefpack\"", ""]
            continue
        default = field.default
        if default is None:
            lines += [f"# {name} = \"\"", ""]
            continue
        if isinstance(default, Path):  # the bundled templates: name a folder of your own instead
            lines += [f"# {name} = \"my-templates\"   # a folder beside this file; default: briefpack's own", ""]
            continue
        lines += [f"# {name} = {json.dumps(default)}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_markdown(), end="")

"""Where things live: the learner's home (progress, config, cache), the course, the language."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.errors import ContentError, LearnError, UsageError
from grader.messages import languages

Lang = str  # a language with a message catalogue (grader.messages.languages())
DEFAULT_LANG = "ja"  # the bundled course's


@dataclass(frozen=True)
class Config:
    """`$LEARN_HOME/config.yaml`: the learner's own defaults."""

    lang: Lang | None = None
    workspace: str | None = None


def learn_home() -> Path:
    explicit = os.environ.get("LEARN_HOME")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_data_dir("learn-keras", appauthor=False))


def grading_secret(home: Path) -> bytes:
    """The key the held-out rows are drawn with (`$LEARN_HOME/secret`, made on first use, never
    visible to a sandboxed job): the same on every run of this installation, unknown to a
    submission. `LEARN_SECRET` sets it instead (a cluster whose workers must agree)."""
    explicit = os.environ.get("LEARN_SECRET")
    if explicit:
        return explicit.encode()
    path = home / "secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another grader made it meanwhile
    except OSError as e:
        raise UsageError(key="err_secret", path=path, reason=e.strerror) from None
    with os.fdopen(fd, "wb") as f:
        f.write(os.urandom(32))
    return path.read_bytes()


def read_config(home: Path) -> Config:
    path = home / "config.yaml"
    if not path.is_file():
        return Config()  # the common case: no pydantic, no YAML to import
    from pydantic import BaseModel, ConfigDict

    from grader.yamlsource import load_model

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        lang: str | None = None
        workspace: str | None = None

    try:
        found = load_model(ConfigFile, path, str(path))
    except ContentError as e:
        e.exit_code = 2  # a usage error, whose problems are still shown in the learner's language
        raise
    return Config(found.lang, found.workspace)


# Locales that say nothing about the person's language (the default of containers and CI).
NEUTRAL_LOCALES = {"c", "posix"}


def lang_from_env() -> Lang | None:
    """The first locale variable that names a language (C and POSIX do not), as a language with
    a catalogue; English for any other language."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value.split(".", 1)[0].lower() in NEUTRAL_LOCALES | {""}:
            continue
        code = value.split("_", 1)[0].split(".", 1)[0].lower()
        return code if code in languages() else "en"
    return None


def guess_lang(option: str | None) -> Lang:
    """The language to report an error in when the settings themselves failed: never raises."""
    if option in languages():
        return option
    try:
        home = learn_home()
        chosen = read_config(home).lang if home.is_dir() else None
    except (LearnError, OSError):
        chosen = None
    chosen = chosen or lang_from_env()
    return chosen if chosen in languages() else DEFAULT_LANG


@dataclass(frozen=True)
class Settings:
    home: Path
    lang: Lang
    workspace: Path  # the chosen workspace, or the default in the current folder
    workspace_chosen: bool = False  # --workspace, LEARN_WORKSPACE or config.yaml named it

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def progress_db(self, course_id: str) -> Path:
        return self.home / "progress" / f"{course_id}.db"


def resolve(
    lang: str | None,
    workspace: str | None,
    course_default: Lang = DEFAULT_LANG,
    cwd: Path | None = None,
) -> Settings:
    """Option, then config file, then environment, then the course's own default."""
    home = learn_home()
    if home.exists() and not home.is_dir():
        raise UsageError(key="err_home_file", home=home)
    config = read_config(home)
    chosen = lang or config.lang or lang_from_env() or course_default
    if chosen not in languages():
        raise UsageError(key="err_unknown_lang", lang=chosen, known=", ".join(languages()))
    ws = workspace or os.environ.get("LEARN_WORKSPACE") or config.workspace
    try:
        base = cwd or Path.cwd()
    except OSError as e:
        raise UsageError(key="err_cwd", reason=e.strerror) from None
    path = (base / Path(ws or "learn-workspace").expanduser()).resolve()
    return Settings(home, chosen, path, bool(ws))

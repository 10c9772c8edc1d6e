"""Where things live: the active bank and its rubrics, the user's data and config dirs.

Resolution order for the bank: `--bank DIR`, then `MOCKINTERVIEW_BANK`, then the `bank/` of the
source checkout this package runs from (editable installs, the repo), then the copy bundled in
the wheel. Rubrics live in a `rubrics/` folder beside the bank folder.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mockinterview"
_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_bank_dir() -> Path:
    checkout = _PACKAGE_DIR.parents[1] / "bank"
    if checkout.is_dir() and (_PACKAGE_DIR.parents[1] / "pyproject.toml").is_file():
        return checkout
    return _PACKAGE_DIR / "_bundled" / "bank"


def bank_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MOCKINTERVIEW_BANK")
    if env:
        return Path(env).expanduser()
    return bundled_bank_dir()


def rubrics_dir_for(bank: Path) -> Path:
    """Rubrics sit beside the bank: `<parent>/rubrics` for `<parent>/bank`."""
    return bank.parent / "rubrics"


def is_installed_copy(path: Path) -> bool:
    """True for the read-only copy inside site-packages, which commands must not write to."""
    try:
        path.resolve().relative_to(_PACKAGE_DIR / "_bundled")
    except ValueError:
        return False
    return True


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The user's data dir (attempts database, caches): flag, MOCKINTERVIEW_HOME, platformdirs."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MOCKINTERVIEW_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Config lives in MOCKINTERVIEW_HOME when set (self-contained), else the user config dir."""
    env = os.environ.get("MOCKINTERVIEW_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def database_path(data: Path) -> Path:
    return data / "attempts.sqlite3"


OVERLAY_DIR = "rubric-overlays"


def overlays_dir(data: Path) -> Path:
    """Where the rubric overlays of a data dir live (`rubrics.overlay` reads and writes them;
    named here so the app's start-up need not import that module)."""
    return data / OVERLAY_DIR

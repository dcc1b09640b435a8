"""Settings: which database and who I am, by precedence, and how the header names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from itpm_tui.config import load_settings
from itpm_tui.errors import InvalidInput


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text('db = "/srv/itpm/from-config.db"\nuser = "carol"\n')
    return {"ITPM_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")}


def test_db_option_beats_environment_beats_config_file(env: dict[str, str]) -> None:
    assert load_settings(db="/a.db", env=env | {"ITPM_DB": "/b.db"}).db_path == Path("/a.db")
    assert load_settings(env=env | {"ITPM_DB": "/b.db"}).db_path == Path("/b.db")
    assert load_settings(env=env).db_path == Path("/srv/itpm/from-config.db")


def test_without_any_choice_the_personal_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(env={"ITPM_CONFIG": str(tmp_path / "none.toml"),
                                  "XDG_DATA_HOME": str(tmp_path / "data"), "USER": "x"})  # fmt: skip
    assert settings.db_path == tmp_path / "data" / "itpm-tui" / "itpm.db"
    assert settings.db_is_default
    assert settings.db_label == "local"


def test_user_option_beats_environment_beats_config_file(env: dict[str, str]) -> None:
    assert load_settings(user="ann", env=env | {"ITPM_USER": "bo"}).user == "ann"
    assert load_settings(env=env | {"ITPM_USER": "bo"}).user == "bo"
    assert load_settings(env=env).user == "carol"


def test_a_bad_itpm_today_is_one_clear_error(env: dict[str, str]) -> None:
    with pytest.raises(InvalidInput, match="not a date like 2026-11-23"):
        load_settings(env=env | {"ITPM_TODAY": "31/12/2026"})


def test_only_a_group_writable_file_is_called_shared(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    env = {"ITPM_CONFIG": str(tmp_path / "none.toml")}
    assert load_settings(db=str(path), env=env).db_label == "local: team.db"  # not there yet
    path.touch(mode=0o600)
    path.chmod(0o600)
    assert load_settings(db=str(path), env=env).db_label == "local: team.db"
    path.chmod(0o660)  # what `init --shared` makes
    assert load_settings(db=str(path), env=env).db_label == "shared: team.db"


def test_a_postgresql_url_is_kept_whole_and_named_in_the_header(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path), "ITPM_USER": "pm"}
    url = "postgresql://alice@dbhost:5432/itpm?sslmode=require"
    for settings in (load_settings(db=url, env=env), load_settings(env=env | {"ITPM_DB": url})):
        assert settings.database == url  # Path() would fold the // of the URL
        assert settings.db_label == "postgresql: itpm"
    assert load_settings(db="/a.db", env=env).database == Path("/a.db")


def test_without_psycopg_a_postgresql_url_is_one_clear_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from itpm_tui.errors import DatabaseError
    from itpm_tui.store.db import open_database

    monkeypatch.setitem(sys.modules, "itpm_tui.store.pg", None)  # as if psycopg were missing
    with pytest.raises(DatabaseError, match=r"pip install 'itpm-tui\[postgres\]'"):
        open_database("postgresql://alice@dbhost/itpm")

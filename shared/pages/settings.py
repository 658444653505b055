"""Settings every page app reads alike: the secret that signs its cookies (a value, or a mounted file), its
time zone, and what production refuses about them."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.config import ConfigError

SHORTEST_SECRET = 32


def secret_key(env, name: str, file_name: str, prod: bool, development: str) -> str:
    """The variable `name`, or the contents of the file `file_name` names (a mounted secret); in development
    a fixed default."""
    path = env.get(file_name, "")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as error:
            raise ConfigError(f"{file_name} {path}: {error.strerror}") from error
    return env.get(name, "" if prod else development)


def time_zone(value: str, name: str) -> str:
    """An IANA time zone name (Europe/Amsterdam, Africa/Conakry), checked."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"{name} {value!r} is not a time zone (e.g. Europe/Amsterdam)") from error
    return value


def secret_problems(secret: str, development: str, name: str) -> list[str]:
    """What production refuses about a cookie secret: none, the development one, or a short one."""
    if not secret or secret == development:
        return [f"{name} (or {name}_FILE) is required"]
    if len(secret) < SHORTEST_SECRET:
        return [f"{name} must be at least {SHORTEST_SECRET} characters"]
    return []

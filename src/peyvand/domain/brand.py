"""The brand profile: names, aliases, products, competitors and attributes (DESIGN §2 and §4).

A brand file is TOML. `load_brand_file` reads one and raises `BrandFileError` naming the file, the field
and what was expected; `brand_to_toml` writes a profile back in the same format.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LANGUAGES = ("fa", "en")


class BrandFileError(ValueError):
    """A brand file that cannot be used, with every problem found in it."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _non_empty(values: list[str], what: str) -> list[str]:
    cleaned = [v for v in values if v]
    if len(cleaned) != len(values):
        raise ValueError(f"{what} must not contain empty strings")
    return cleaned


class Attribute(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    terms: dict[str, list[str]] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("terms")
    @classmethod
    def _terms(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for lang, words in value.items():
            if lang not in LANGUAGES:
                raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
            _non_empty(words, "terms")
        return value

    def label(self, locale: str) -> str:
        return self.labels.get(locale) or self.key


class Product(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    names: list[str] = Field(min_length=1)

    @field_validator("names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return _non_empty(value, "names")


class Store(Product):
    """A physical store: a key and names as a product has, known in the data by its key (a reaction's
    `store` dimension) and shown by its name in the viewer's script (`services.series.dimension_names`);
    store names are not matched in text."""


class Competitor(_Strict):
    name: str = Field(min_length=1)
    key: str = Field(default="", pattern=r"^$|^[a-z0-9][a-z0-9_-]*$")
    aliases: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _default_key(self) -> Competitor:
        if not self.key:
            object.__setattr__(
                self, "key", slugify(self.name) or f"competitor-{abs(hash(self.name)) % 10_000}"
            )
        return self

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class BrandSection(_Strict):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    desired_attributes: list[str] = Field(default_factory=list)
    timezone: str = "Asia/Tehran"
    journalist_domains: list[str] = Field(default_factory=list)
    partner_domains: list[str] = Field(default_factory=list)


class BrandProfile(_Strict):
    brand: BrandSection
    attributes: list[Attribute] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)
    competitors: list[Competitor] = Field(default_factory=list)
    stores: list[Store] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> BrandProfile:
        keys = [a.key for a in self.attributes]
        for wanted in self.brand.desired_attributes:
            if wanted not in keys:
                raise ValueError(
                    f"brand.desired_attributes names {wanted!r}, expected one of the attribute keys "
                    f"({', '.join(keys) or 'none defined'})"
                )
        for label, seq in (
            ("attributes", keys),
            ("products", [p.key for p in self.products]),
            ("stores", [st.key for st in self.stores]),
        ):
            dupes = sorted({k for k in seq if seq.count(k) > 1})
            if dupes:
                raise ValueError(f"{label} keys must be unique, repeated: {', '.join(dupes)}")
        return self

    @property
    def name(self) -> str:
        return self.brand.name

    @property
    def brand_names(self) -> list[str]:
        return [self.brand.name, *[a for a in self.brand.aliases if not a.startswith("@")]]

    @property
    def handles(self) -> list[str]:
        """The brand's own handles (aliases that start with @), lower-cased without the @."""
        return [a[1:].lower() for a in self.brand.aliases if a.startswith("@") and len(a) > 1]

    def attribute(self, key: str) -> Attribute | None:
        return next((a for a in self.attributes if a.key == key), None)

    def is_desired(self, key: str) -> bool:
        return key in self.brand.desired_attributes


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _describe(error: Any) -> str:
    loc = ""
    for part in error["loc"]:
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field (check its spelling against the brand file format in docs/concepts.md)"
    elif error["type"] == "missing":
        message = "missing, this field is required"
    elif message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] not in {"missing", "extra_forbidden"} and "input" in error:
        message += f" (got {error['input']!r})"
    return f"{loc}: {message}" if loc else message


def parse_brand(data: dict[str, Any], *, path: str = "<brand>") -> BrandProfile:
    try:
        return BrandProfile.model_validate(data)
    except ValidationError as exc:
        raise BrandFileError(path, [_describe(e) for e in exc.errors()]) from None


def load_brand_file(path: str | Path) -> BrandProfile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrandFileError(str(path), ["file not found"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BrandFileError(str(path), [f"not valid TOML: {exc}"]) from None
    return parse_brand(data, path=str(path))


def brand_to_dict(profile: BrandProfile) -> dict[str, Any]:
    data = profile.model_dump(mode="json", exclude_defaults=False)
    for competitor in data["competitors"]:
        if competitor["key"] == slugify(competitor["name"]):
            del competitor["key"]
    for attribute in data["attributes"]:
        if not attribute["labels"]:
            del attribute["labels"]
    for key in ("journalist_domains", "partner_domains"):
        if not data["brand"][key]:
            del data["brand"][key]
    if not data["stores"]:
        del data["stores"]
    return data


def brand_to_toml(profile: BrandProfile) -> str:
    return tomli_w.dumps(brand_to_dict(profile))

from pathlib import Path

import pytest

from peyvand.domain.brand import BrandFileError, brand_to_toml, load_brand_file, parse_brand
from peyvand.storage.db import Store


def test_brand_file_round_trips(brand_file: Path, tmp_path: Path) -> None:
    brand = load_brand_file(brand_file)
    assert brand.name == "چای نیلوفر"
    assert brand.handles == ["niloofartea"]
    assert brand.is_desired("natural") and not brand.is_desired("price")
    again = tmp_path / "again.toml"
    again.write_text(brand_to_toml(brand), encoding="utf-8")
    assert load_brand_file(again) == brand


@pytest.mark.parametrize(
    ("toml", "field", "expected"),
    [
        ('[brand]\nnmae = "x"\n', "brand.nmae", "unknown field"),
        ('[brand]\nname = "x"\naliases = "one"\n', "brand.aliases", "valid list"),
        ('[brand]\nname = "x"\ndesired_attributes = ["trust"]\n', "", "attribute keys"),
        (
            '[brand]\nname = "x"\n[[attributes]]\nkey = "t"\nterms = { de = ["x"] }\n',
            "attributes[0].terms",
            "fa, en",
        ),
        (
            '[brand]\nname = "x"\n[[products]]\nkey = "Green Tea"\nnames = ["g"]\n',
            "products[0].key",
            "pattern",
        ),
        ("[brand]\n", "brand.name", "required"),
    ],
)
def test_wrong_field_names_file_field_and_expectation(
    tmp_path: Path, toml: str, field: str, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(BrandFileError) as info:
        load_brand_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert field in message
    assert expected in message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("[brand\nname=", encoding="utf-8")
    with pytest.raises(BrandFileError, match="not valid TOML"):
        load_brand_file(bad)
    with pytest.raises(BrandFileError, match="file not found"):
        load_brand_file(tmp_path / "missing.toml")


def test_competitor_key_defaults_from_name() -> None:
    brand = parse_brand({"brand": {"name": "b"}, "competitors": [{"name": "Golden Leaf"}]})
    assert brand.competitors[0].key == "golden-leaf"


def test_stores_are_kept_with_the_workspace_and_named_in_the_viewers_script(store: Store) -> None:
    from peyvand.services.access import Actor
    from peyvand.services.series import dimension_names
    from peyvand.services.workspaces import create_workspace, load_brand

    brand = parse_brand(
        {
            "brand": {"name": "چای نیلوفر"},
            "stores": [{"key": "tajrish", "names": ["فروشگاه تجریش", "Tajrish store"]}],
        }
    )
    ws = create_workspace(store, brand=brand, slug="stores-brand")
    assert [(s.key, s.names) for s in load_brand(store, workspace_id=ws.id).stores] == [
        ("tajrish", ["فروشگاه تجریش", "Tajrish store"])
    ]
    actor = Actor.operator(ws.id)
    assert dimension_names(store, actor, "fa")[("store", "tajrish")] == "فروشگاه تجریش"
    assert dimension_names(store, actor, "en")[("store", "tajrish")] == "Tajrish store"
    assert "stores" not in brand_to_toml(parse_brand({"brand": {"name": "x"}}))  # none: not written

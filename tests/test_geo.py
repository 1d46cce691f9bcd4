import pytest

from tariffrules.errors import UnknownCountryError
from tariffrules.geo import OriginScope, expand_origins, iso_countries, normalize_origin


def test_iso_list_is_the_maintained_one():
    codes = iso_countries()
    assert {"JP", "CN", "CA", "MX", "DE"} <= codes
    assert "XX" not in codes and "UK" not in codes  # the UK is GB in ISO 3166-1
    assert len(codes) >= 249


@pytest.mark.parametrize("text", ["XX", "UK", "JPN", "", None, 81])
def test_unknown_origins_raise(text):
    with pytest.raises(UnknownCountryError) as info:
        normalize_origin(text)
    assert "origin=" in str(info.value)


def test_lower_case_is_accepted():
    assert normalize_origin(" gb ") == "GB"


def test_scope_all_except():
    scope = OriginScope(everyone=True, excluded=frozenset({"CA"}))
    assert scope.covers("JP") and not scope.covers("CA")
    assert scope.describe() == "all origins except CA"


def test_expand_groups_and_unknowns():
    everyone, codes, unknown = expand_origins(["JP", "@G", "@NOPE", "jp", "*"], {"G": frozenset({"FR", "DE"})})
    assert everyone
    assert codes == {"JP", "FR", "DE"}
    assert unknown == ["@NOPE", "jp"]

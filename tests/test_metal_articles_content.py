"""Section 232 chapter 73 / 76 metal articles on the metal content (issue 12): without the content the total
is not computed, exactly as for the content-based derivatives (Proc. 10947 cl. 6; CBP CSMS #65236645)."""
from decimal import Decimal

import pytest

import tariffrules

WHEN = "2025-07-01"


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


@pytest.mark.parametrize("code,heading", [
    ("7606.12.30", "9903.85.02"),      # aluminum article of chapter 76
    ("7610.10.00", "9903.85.07"),      # chapter 76 aluminum derivative (the existing behaviour)
    ("7306.30.50.28", "9903.81.87"),   # steel article of chapter 73
    ("7317.00.55.02", "9903.81.89"),   # existing steel derivative of chapter 73 (the existing behaviour)
])
def test_content_based_metal_duty_without_content_is_not_computed(us, code, heading):
    resolution = us.resolve(code, "KR", WHEN, value="1000")
    assert heading in resolution.headings
    with pytest.raises(tariffrules.MissingFactError, match="content"):
        resolution.rate


def test_chapter_72_steel_article_needs_no_content(us):
    resolution = us.resolve("7208.51.00", "KR", WHEN, value="1000")
    assert resolution.rate == Decimal("50")   # Proc. 10947 cl. 1: 50% on the full value (cl. 6 names ch. 73, 76 only)


"""Chapter 98 and postal facts of the US rule set: the answers that must not be given silently.

Sources: HTSUS ch. 99 subch. III note 20(a) (Section 301: under 9802.00.80 the duty is on the value less the US
products); EO 14256 sec. 2(c) as amended and CBP CSMS #65029543 (the carrier elects the ad valorem or the specific
postal duty).
"""

import pytest

import tariffrules


@pytest.fixture(scope="module")
def us():
    return tariffrules.builtin("us")


def test_a_9802_claim_without_the_value_left_out_has_no_total(us):
    # List 1 pump (note 20(b)); the value of the US components decides the 301 base: no total without it
    r = us.resolve("8413.50.00.10", "CN", "2025-03-10", value="1000", chapter98="9802.00.80")
    with pytest.raises(tariffrules.MissingFactError):
        r.rate


def test_a_9802_claim_files_the_value_left_out_apart(us):
    # note 20(a): 25% of (1000 - 600) on the foreign line; the US components carry no 301 number
    r = us.resolve("8413.50.00.10", "CN", "2025-02-03", value="1000", chapter98="9802.00.80",
                   content={"ch98_nondutiable": "600"})
    assert [(line.value, [lv.heading for lv in line.levies]) for line in r.lines] == [
        (400, ["9903.88.01"]), (600, [None])]


def test_an_unstated_postal_method_is_read_only_for_postal_items(us):
    # a formal entry of the same T-shirt is answered without the postal facts
    r = us.resolve("6109.10.00.12", "CN", "2025-06-01", value="50")
    assert "9903.88.15" in r.headings
    with pytest.raises(tariffrules.MissingFactError, match="postal_duty_method"):
        us.resolve("6109.10.00.12", "CN", "2025-06-01", value="50", postal_item=True)

"""Numbers in `duban extract`'s JSON are finite and exact as printed: a number beyond what an
indicator holds (Indicator.value, DecimalField(max_digits=20, decimal_places=4)) is no value at
all and stays in the item's text, instead of becoming ``Infinity`` (not JSON) or a rounded
float."""

import json

import pytest

from .result_checks import assert_contract
from .test_cli_fuzz import run_extract


def _strict(text: str):
    def refuse(constant):
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


PLAN = "2022年工作要点\n\n一、科技创新\n\n1. 高新技术企业总数达到{n}家，研发投入达到12.5亿元。\n"


@pytest.mark.parametrize("digits", [400, 30, 17])
def test_absurd_number_through_duban_extract(tmp_path, digits):
    huge = "9" * digits
    path = tmp_path / "plan.txt"
    path.write_text(PLAN.format(n=huge), encoding="utf-8")
    code, out, err = run_extract(path)
    assert code == 0 and err == ""
    assert "Infinity" not in out and "NaN" not in out
    result = _strict(out)
    assert_contract(result)
    indicators = [i for item in result["items"] for i in item["indicators"]]
    assert [(i["value"], i["unit"]) for i in indicators] == [(12.5, "亿元")]
    assert any(huge in item["text"] for item in result["items"])


def test_sixteen_digits_come_out_exact(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN.format(n="9007199254740993"), encoding="utf-8")
    code, out, _err = run_extract(path)
    assert code == 0
    assert '"value": 9007199254740993' in out
    values = [i["value"] for item in _strict(out)["items"] for i in item["indicators"]]
    assert values == [9007199254740993, 12.5]

"""``list --json`` and ``export`` write their rows as they read them, and write the same bytes as before.

The expected files (tests/fixtures/export/) were captured from the code that built every row in
memory first; see tests/export_goldens.py for the data and how to regenerate them.
"""

from __future__ import annotations

import pytest

from tests.export_goldens import CASES, GOLDEN, build_seed_db, office_parts, run_case


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    return build_seed_db(tmp_path_factory.mktemp("seeds") / "seeds.db")


@pytest.mark.parametrize("name, argv", CASES, ids=[c[0] for c in CASES])
def test_output_equals_the_captured_output(seed_db, tmp_path, name, argv):
    got = run_case(seed_db, name, argv, tmp_path)
    expected = (GOLDEN / name).read_bytes()
    if name.endswith((".xlsx", ".docx")):
        got_parts, expected_parts = office_parts(got), office_parts(expected)
        assert sorted(got_parts) == sorted(expected_parts)
        for part, data in expected_parts.items():
            assert got_parts[part] == data, part
    else:
        assert got.decode("utf-8") == expected.decode("utf-8")

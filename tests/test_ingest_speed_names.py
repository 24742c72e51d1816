"""Closing verbs looked up by their last character: same answer as trying every verb in turn.

``strip_verbs`` runs on every part of every clause; it now tries only the verbs ending in the
text's last character (in the same longest-first order). The reference tries them all.
"""

from __future__ import annotations

import itertools

from tracker.ingest.names import _VERBS, clean, strip_verbs


def strip_trying_every_verb(text: str) -> tuple[str, str | None]:
    role: str | None = None
    changed = True
    while changed and text:
        changed = False
        for verb, verb_role in _VERBS:
            if text.endswith(verb) and len(text) > len(verb):
                text = text[: -len(verb)]
                if verb_role == "lead" or (verb_role == "support" and role != "lead"):
                    role = verb_role
                elif role is None:
                    role = "auto"
                changed = True
                break
    return text, role


def test_verbs_by_last_character_strip_as_every_verb_does():
    verbs = [verb for verb, _role in _VERBS]
    texts = ["", "区财政局", "区政府办", "办", "牵头", "区教育局协办"]
    texts += ["区财政局" + v for v in verbs]
    texts += ["区财政局" + a + b for a, b in itertools.product(verbs, repeat=2)]
    texts += [v + w for v, w in itertools.product(verbs, ["", "局", "区", "牵头"])]
    for text in texts:
        assert strip_verbs(text) == strip_trying_every_verb(text), text


def test_vague_tails_reduce_to_the_unit():
    assert clean("区财政局等有关部门和单位") == "区财政局"
    assert clean(" 区财政局等 ") == "区财政局"
    assert clean("各区等") == "各区等"  # a collective keeps its words
    assert clean("由区 财政局") == "区财政局"

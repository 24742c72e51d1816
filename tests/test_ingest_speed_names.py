"""Closing verbs looked up by their last character, pieces of a list remembered: same answers as
before (every verb tried in turn, every piece read afresh).

``strip_verbs`` runs on every part of every clause; it now tries only the verbs ending in the
text's last character (in the same longest-first order). ``split_names`` remembers what each
piece of a list gives, without the role of the list it came from. The references below are the
code before these changes.
"""

from __future__ import annotations

import itertools

from tracker.ingest.names import _VERBS, clean, split_names, strip_verbs


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


def split_names_reading_every_piece(text: str, role: str) -> list[tuple[str, str]]:
    """split_names as it was before pieces were remembered."""
    from tracker.ingest.names import _AND_EACH, _GENERIC, _WITH, _merge_levels, _role_mark, split_top

    pieces: list[str] = []
    for piece in split_top(text, "、"):
        pieces.extend(p for p in _AND_EACH.split(piece) if p)
    result: list[tuple[str, str]] = []
    for piece in _merge_levels([p.strip() for p in pieces if p.strip()]):
        piece, mark_role = _role_mark(piece)
        piece_text, piece_role = strip_verbs(clean(piece))
        piece_role = mark_role or piece_role
        name_role = piece_role if piece_role in ("lead", "support") else role
        with_match = _WITH.search(piece_text)
        if with_match and with_match.start() > 0:
            head, tail = piece_text[: with_match.start()], piece_text[with_match.end() :]
            result.append((clean(head), name_role))
            tail = clean(tail)
            if tail and not _GENERIC.match(tail):
                result.append((tail, "support"))
            continue
        name = clean(piece_text)
        if name and not _GENERIC.match(name):
            result.append((name, name_role))
    return result


LISTS = [
    "区财政局、各街镇", "区财政局牵头、区民政局配合", "市委组织部（牵头）、市人社局（配合）", "区财政局会同有关部门",
    "区财政局会同区民政局", "区财政局协调", "区财政局等有关部门和单位", "有关部门", "各区、县级市", "各省、自治区、直辖市人民政府",
    "区财政局、区民政局等和各有关省级人民政府", "区财政局及各县市区政府", "区 财政局、由区民政局", "区财政局（责任单位）",
    "区" + "很长的名字" * 20 + "局", "、、区财政局、", "",
]


def test_remembered_pieces_give_what_reading_every_piece_gives():
    for _ in range(2):  # the second round reads every piece from memory
        for text in LISTS + ["、".join(LISTS)]:
            for role in ("auto", "lead", "support"):
                assert split_names(text, role) == split_names_reading_every_piece(text, role), (text, role)

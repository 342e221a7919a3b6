"""JIT-compiled folding and whitespace collapsing, with the offset map (one pass)."""

from __future__ import annotations

from numba import njit

_SPACE = 32
_NEWLINE = 10
_DROP = 0xFFFFFFFF


@njit(cache=True, nogil=True)
def fold_and_collapse(
    codes, fold, starts, ends, identity, with_offsets, out_codes, out_starts, out_ends
):
    """Fold every code point through ``fold``; a whitespace run becomes one character (a
    newline if the run holds one), leading and trailing whitespace go. ``identity`` says the
    input maps one to one onto the original text, so ``starts``/``ends`` are not read. A code
    point folded to ``_DROP`` is left out, its span joined to the character before it.
    Return the clean length and the largest clean code point."""
    count = 0
    top = 0
    pending = -1
    pending_code = _SPACE
    for index in range(codes.shape[0]):
        code = fold[codes[index]]
        if code == _DROP:
            if with_offsets and count > 0 and pending < 0:
                out_ends[count - 1] = index + 1 if identity else ends[index]
            continue
        if code == _SPACE or code == _NEWLINE:  # noqa: SIM109 (numba compiles plain compares)
            if count == 0:
                continue
            if pending < 0:
                pending = index
                pending_code = code
            elif code == _NEWLINE:
                pending_code = _NEWLINE
            continue
        if pending >= 0:
            out_codes[count] = pending_code
            if with_offsets:
                out_starts[count] = pending if identity else starts[pending]
                out_ends[count] = pending + 1 if identity else ends[pending]
            count += 1
            pending = -1
        out_codes[count] = code
        top = max(top, code)
        if with_offsets:
            out_starts[count] = index if identity else starts[index]
            out_ends[count] = index + 1 if identity else ends[index]
        count += 1
    return count, top


@njit(cache=True, nogil=True)
def phrases_present(text, first, last, order, needles, needle_starts):
    """A bit per phrase (at most 63) set when the phrase occurs in ``text`` (UTF-8 bytes):
    the phrases beginning with each pair of bytes are ``order[first[key]:last[key]]``, key
    ``byte + 256 * next byte``, each ``needles[needle_starts[i]:needle_starts[i + 1]]``."""
    found = 0
    size = text.size
    for position in range(size - 1):
        key = text[position] + 256 * text[position + 1]
        for slot in range(first[key], last[key]):
            phrase = order[slot]
            bit = 1 << phrase
            if found & bit:
                continue
            start = needle_starts[phrase]
            length = needle_starts[phrase + 1] - start
            if position + length > size:
                continue
            same = True
            for offset in range(2, length):
                if text[position + offset] != needles[start + offset]:
                    same = False
                    break
            if same:
                found |= bit
    return found

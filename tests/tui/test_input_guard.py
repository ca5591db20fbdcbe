"""Terminal input decoding: whatever the bytes, text comes out, and UTF-8 stays UTF-8."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from tui.input_guard import TerminalDecoder


def decode_in_pieces(data: bytes, cuts: list[int]) -> str:
    decoder = TerminalDecoder()
    bounds = [0, *sorted(cut % (len(data) + 1) for cut in cuts), len(data)]
    text = "".join(decoder.decode(data[start:end]) for start, end in pairwise(bounds))
    return text + decoder.flush()


class TestTerminalDecoder:
    def test_a_latin1_letter_is_read_as_itself(self) -> None:
        assert decode_in_pieces(b"Lef\xe8vre", []) == "Lefèvre"

    def test_windows_1252_letters_and_undefined_bytes(self) -> None:
        """« œ » and « € » from a Windows terminal; 0x81 means nothing there: U+FFFD."""
        assert decode_in_pieces(b"C\x9cur \x80 \x81", []) == "Cœur € \ufffd"

    def test_a_cut_utf8_sequence_waits_for_its_end(self) -> None:
        decoder = TerminalDecoder()
        assert decoder.decode(b"L\xc3") == "L"
        assert decoder.pending
        assert decoder.decode(b"\xa9a") == "éa"
        assert not decoder.pending

    def test_a_lone_lead_byte_is_a_latin1_key_once_flushed(self) -> None:
        decoder = TerminalDecoder()
        assert decoder.decode(b"\xe8") == ""
        assert decoder.flush() == "è"
        assert decoder.decode(b"v") == "v"

    def test_valid_utf8_after_an_invalid_byte_is_still_utf8(self) -> None:
        assert decode_in_pieces(b"\xe8\xc3\xa9", []) == "èé"

    @given(st.text(), st.lists(st.integers(min_value=0)))
    def test_utf8_text_comes_out_unchanged_however_it_is_cut(
        self, text: str, cuts: list[int]
    ) -> None:
        data = text.encode("utf-8")
        assert decode_in_pieces(data, cuts) == text

    @given(st.binary(), st.lists(st.integers(min_value=0)))
    def test_any_bytes_decode_and_the_cuts_do_not_matter(
        self, data: bytes, cuts: list[int]
    ) -> None:
        """Never raises, gives text the app can hand on as UTF-8 (no lone surrogate), at most a
        character per byte, and the same text however the reads cut the bytes."""
        whole = decode_in_pieces(data, [])
        whole.encode("utf-8")
        assert len(whole) <= len(data)
        assert decode_in_pieces(data, cuts) == whole

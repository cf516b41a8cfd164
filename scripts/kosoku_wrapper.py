#!/usr/bin/env python3
"""Run kosoku's CLI in-process, working around its 12.x/13.x text-message defect.

kosoku 0.1.0 sometimes hands a received text message to the (Python 2 era) Autobahn case code
of the permessage-deflate cases (12.x, 13.x) as `str` instead of `bytes`; the case then hashes
it and errors with "Strings must be encoded before hashing" without judging the server. This
wrapper encodes such a `str` to UTF-8 before the case sees it, by wrapping `onMessage` of those
case classes at runtime (site-packages is not modified). Arguments are kosoku's own.
"""

from __future__ import annotations

import functools
import sys


def _encode_text_messages(on_message):
    @functools.wraps(on_message)
    def wrapper(self, msg, binary, *args, **kwargs):
        if isinstance(msg, str):
            msg = msg.encode("utf-8")
        return on_message(self, msg, binary, *args, **kwargs)

    return wrapper


def patch_cases() -> int:
    """Wrap `onMessage` of every 12.x and 13.x case class; returns how many were patched."""
    from kosoku import cases

    patched = 0
    for case_id, cls in cases.CASES.items():
        if case_id.split(".")[0] in ("12", "13") and "onMessage" in vars(cls):
            cls.onMessage = _encode_text_messages(vars(cls)["onMessage"])
            patched += 1
    return patched


def main() -> None:
    if patch_cases() == 0:
        sys.exit("kosoku_wrapper: found no 12.x/13.x cases to patch (kosoku layout changed?)")
    from kosoku._cli import main as kosoku_main

    sys.argv[0] = "kosoku"
    kosoku_main()


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Parses the message on stdin with Python's standard email package and
prints what a mail client would see, as JSON: every header decoded (RFC 2047),
the address headers parsed, each leaf part's type, charset, transfer encoding
and decoded content (line ends as "\\n"), and the parser's defects.
"""

import email
import email.policy
import email.utils
import json
import sys


def main():
    raw = sys.stdin.buffer.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "headers": [[k, str(v)] for k, v in msg.items()],
        "content_type": msg.get_content_type(),
        "is_multipart": msg.is_multipart(),
        "defects": [type(d).__name__ for d in msg.defects],
        "parts": [],
    }
    for name in ("From", "To", "Reply-To"):
        if msg[name] is not None:
            out[name.lower()] = [[a.display_name, a.addr_spec] for a in msg[name].addresses]
    if msg["Date"] is not None:
        out["date_epoch"] = email.utils.parsedate_to_datetime(str(msg["Date"])).timestamp()
    for part in msg.walk():
        if part.is_multipart():
            out["defects"] += [type(d).__name__ for d in part.defects]
            continue
        out["defects"] += [type(d).__name__ for d in part.defects]
        out["parts"].append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "content": part.get_content().replace("\r\n", "\n"),
        })
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

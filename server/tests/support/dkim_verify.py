#!/usr/bin/python3
"""Verifies the DKIM signature of the message on stdin with python3-dkim
(dkimpy, an implementation independent of Herald's and libopendkim's),
answering its DNS query with the TXT record given on the command line:

    dkim_verify.py SELECTOR._domainkey.DOMAIN 'v=DKIM1; k=rsa; p=…' < message.eml

Exit 0 when the signature verifies, 1 when it does not (the reason on stderr).
Run with /usr/bin/python3 (Debian's python3-dkim).
"""

import logging
import sys

import dkim


def main():
    name, record = sys.argv[1], sys.argv[2]
    message = sys.stdin.buffer.read()
    asked = []

    def dnsfunc(qname, timeout=5):
        q = qname.decode() if isinstance(qname, bytes) else qname
        asked.append(q)
        return record.encode() if q.rstrip(".") == name else None

    logger = logging.getLogger("dkim")
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    ok = dkim.verify(message, logger=logger, dnsfunc=dnsfunc)
    if not ok:
        print("signature did not verify (key queries: %s)" % ", ".join(asked), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

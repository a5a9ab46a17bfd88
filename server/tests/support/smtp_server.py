#!/usr/bin/python3
"""A real SMTP server for Herald's mail tests (python3-aiosmtpd).

Stores every accepted message in --store as NNNNNN.eml plus NNNNNN.json
(envelope, the client's address, TLS, the authenticated login) and answers
some recipients (by local-part prefix) in chosen ways:

  temp…       RCPT TO  -> 451 4.7.1
  perm…       RCPT TO  -> 550 5.1.1
  slow…       RCPT TO  -> 250 after --slow seconds
  tempdata…   after the message -> 452 4.3.1
  permdata…   after the message -> 554 5.7.1
  dropdata…   the server hangs up in the middle of DATA (before the final dot)
  dropafter…  the server stores the message, then hangs up without answering
and MAIL FROM:<reject…@…> -> 553 5.7.1.

Prints "ready PORT" on stdout once it accepts connections; stops on SIGTERM.
Run with /usr/bin/python3 (Debian's python3-aiosmtpd).
"""

import argparse
import asyncio
import itertools
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def local_part(address):
    return address.split("@", 1)[0].lower()


class Handler:
    def __init__(self, store, slow, pipelining):
        self.store = store
        self.slow = slow
        self.pipelining = pipelining
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if local_part(address).startswith("reject"):
            return "553 5.7.1 <%s>: Sender address rejected" % address
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lp = local_part(address)
        if lp.startswith("tempdata") or lp.startswith("permdata"):
            pass
        elif lp.startswith("temp"):
            return "451 4.7.1 <%s>: Recipient address deferred, try again later" % address
        elif lp.startswith("perm"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        elif lp.startswith("slow"):
            await asyncio.sleep(self.slow)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def save(self, server, session, envelope):
        with self.lock:
            n = next(self.counter)
        base = os.path.join(self.store, "%06d" % n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".eml.tmp", base + ".eml")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "peer": "%s:%s" % (session.peer[0], session.peer[1]),
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
        }
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".json.tmp", base + ".json")
        return n

    async def handle_DATA(self, server, session, envelope):
        lps = [local_part(r) for r in envelope.rcpt_tos]
        if any(lp.startswith("permdata") for lp in lps):
            return "554 5.7.1 Message rejected as spam"
        if any(lp.startswith("tempdata") for lp in lps):
            return "452 4.3.1 Insufficient system storage"
        n = self.save(server, session, envelope)
        if any(lp.startswith("dropafter") for lp in lps):
            server.transport.close()
            return "250 2.0.0 never sent"
        return "250 2.0.0 Ok: queued as %06d" % n


class TestSMTP(SMTP):
    say_421_on_timeout = False

    def _timeout_cb(self):
        if self.say_421_on_timeout and self.transport is not None:
            self.transport.write(b"421 4.4.2 sink.test Error: timeout exceeded\r\n")
        super()._timeout_cb()

    async def smtp_DATA(self, arg):
        if any(local_part(r).startswith("dropdata") for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")  # take a line of the message, then hang up
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class TestController(Controller):
    def factory(self):
        return TestSMTP(self.handler, **self.SMTP_kwargs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--store", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth", help="user:password; AUTH is then required (and only over TLS)")
    p.add_argument("--auth-mechanisms", default="", help="comma-separated mechanisms to refuse, e.g. PLAIN")
    p.add_argument("--pipelining", action="store_true")
    p.add_argument("--size", type=int, default=33554432)
    p.add_argument("--idle-timeout", type=float, default=300)
    p.add_argument("--idle-421", action="store_true", help="say 421 before dropping an idle client (as Postfix does)")
    p.add_argument("--slow", type=float, default=3)
    args = p.parse_args()

    handler = Handler(args.store, args.slow, args.pipelining)
    TestSMTP.say_421_on_timeout = args.idle_421
    kwargs = dict(data_size_limit=args.size, timeout=args.idle_timeout, server_hostname="sink.test")
    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    if tls and not args.implicit_tls:
        kwargs["tls_context"] = tls
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and
                  auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
        if args.auth_mechanisms:
            kwargs["auth_exclude_mechanism"] = [m.strip().upper() for m in args.auth_mechanisms.split(",")]
    controller = TestController(handler, hostname="127.0.0.1", port=args.port,
                                ssl_context=tls if args.implicit_tls else None, **kwargs)
    controller.start()
    print("ready %d" % args.port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

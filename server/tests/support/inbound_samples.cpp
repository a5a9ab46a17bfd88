#include "support/inbound_samples.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"

namespace herald::test {
namespace {

std::string unique_id(std::string_view domain) { return fmt::format("<{}@{}>", crypto::random_token(12), domain); }

}  // namespace

// Postfix's bounce(8): Auto-Submitted, a human part, delivery-status, text/rfc822-headers.
std::string postfix_dsn(std::string_view original_id, std::string_view rcpt, std::string_view status) {
  return fmt::format(
      R"(Return-Path: <>
Received: by mx.example.net (Postfix) id 4Qx1Z2abcd; Mon, 30 Nov 2026 14:03:11 +0000 (UTC)
Date: Mon, 30 Nov 2026 14:03:11 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@herald.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="4Qx1Z2abcd.1701352991/mx.example.net"
Content-Transfer-Encoding: 8bit
Message-Id: {3}

This is a MIME-encapsulated message.

--4Qx1Z2abcd.1701352991/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<{1}>: host mail.example.org[203.0.113.7] said: 550 {2} <{1}>:
    Recipient address rejected: User unknown in virtual mailbox table (in reply
    to RCPT TO command)

--4Qx1Z2abcd.1701352991/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4Qx1Z2abcd
X-Postfix-Sender: rfc822; news@herald.test
Arrival-Date: Mon, 30 Nov 2026 14:03:10 +0000 (UTC)

Final-Recipient: rfc822; {1}
Original-Recipient: rfc822;{1}
Action: failed
Status: {2}
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 {2} <{1}>: Recipient address rejected: User unknown
    in virtual mailbox table

--4Qx1Z2abcd.1701352991/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <news@herald.test>
Received: from herald.test (herald.test [198.51.100.4])
	by mx.example.net (Postfix) with ESMTPS id 4Qx1Z2abcd
	for <{1}>; Mon, 30 Nov 2026 14:03:10 +0000 (UTC)
From: "Herald News" <news@herald.test>
To: <{1}>
Subject: Our November update
Message-ID: {0}
Date: Mon, 30 Nov 2026 14:03:09 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--4Qx1Z2abcd.1701352991/mx.example.net--
)",
      original_id, rcpt, status, unique_id("mx.example.net"));
}

std::string postfix_delayed_dsn(std::string_view original_id, std::string_view rcpt) {
  return fmt::format(
      R"(Return-Path: <>
Date: Mon, 30 Nov 2026 18:03:11 +0000 (UTC)
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: bounces@herald.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="D1.1701367391/mx.example.net"
Message-Id: {2}

--D1.1701367391/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

--D1.1701367391/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 30 Nov 2026 14:03:10 +0000 (UTC)

Final-Recipient: rfc822; {1}
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mail.example.org[203.0.113.7]:25:
    Connection timed out
Will-Retry-Until: Mon, 5 Dec 2026 14:03:10 +0000 (UTC)

--D1.1701367391/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: "Herald News" <news@herald.test>
To: <{1}>
Subject: Our November update
Message-ID: {0}

--D1.1701367391/mx.example.net--
)",
      original_id, rcpt, unique_id("mx.example.net"));
}

// Exim 4 with DSN: the whole returned message as message/rfc822.
std::string exim_dsn(std::string_view original_id, std::string_view rcpt) {
  return fmt::format(
      R"(Return-path: <>
Envelope-to: bounces@herald.test
Received: from mail by relay.example.com with local (Exim 4.96)
	id 1r8abc-000123-Xy
	for bounces@herald.test; Mon, 30 Nov 2026 14:05:00 +0000
X-Failed-Recipients: {1}
Auto-Submitted: auto-replied
From: Mail Delivery System <Mailer-Daemon@relay.example.com>
To: bounces@herald.test
Content-Type: multipart/report; report-type=delivery-status; boundary=1701353100-eximdsn-1804289383
MIME-Version: 1.0
Subject: Mail delivery failed: returning message to sender
Message-Id: {2}
Date: Mon, 30 Nov 2026 14:05:00 +0000

--1701353100-eximdsn-1804289383
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {1}
    host mx.example.org [203.0.113.9]
    SMTP error from remote mail server after RCPT TO:<{1}>:
    550 5.1.1 No such user here

--1701353100-eximdsn-1804289383
Content-type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Action: failed
Final-Recipient: rfc822;{1}
Status: 5.0.0
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 No such user here

--1701353100-eximdsn-1804289383
Content-type: message/rfc822

Return-path: <news@herald.test>
From: Herald News <news@herald.test>
To: {1}
Subject: Our November update
Message-ID: {0}
Date: Mon, 30 Nov 2026 14:04:58 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hello, here is our update.

--1701353100-eximdsn-1804289383--
)",
      original_id, rcpt, unique_id("relay.example.com"));
}

// Gmail's "Delivery Status Notification (Failure)": an alternative human
// part, delivery-status, and the returned message's headers.
std::string gmail_dsn(std::string_view original_id, std::string_view rcpt) {
  return fmt::format(
      R"(Delivered-To: bounces@herald.test
Return-Path: <>
Received: by 2002:a05:6a10:1234:b0:4f0:abcd:1234 with SMTP id a1csp123456pxb;
        Mon, 30 Nov 2026 06:07:01 -0800 (PST)
Date: Mon, 30 Nov 2026 06:07:01 -0800 (PST)
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: bounces@herald.test
Auto-Submitted: auto-replied
Subject: Delivery Status Notification (Failure)
References: {0}
In-Reply-To: {0}
X-Failed-Recipients: {1}
Message-ID: {2}
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000a1b2c3d4e5f60718"; report-type=delivery-status

--000000000000a1b2c3d4e5f60718
Content-Type: multipart/related; boundary="000000000000a1b2c3d4e5f60719"

--000000000000a1b2c3d4e5f60719
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6071a"

--000000000000a1b2c3d4e5f6071a
Content-Type: text/plain; charset="UTF-8"


** Address not found **

Your message wasn't delivered to {1} because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser

--000000000000a1b2c3d4e5f6071a
Content-Type: text/html; charset="UTF-8"

<html><body><h2>Address not found</h2></body></html>

--000000000000a1b2c3d4e5f6071a--

--000000000000a1b2c3d4e5f60719--

--000000000000a1b2c3d4e5f60718
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; news@herald.test
Arrival-Date: Mon, 30 Nov 2026 06:07:00 -0800 (PST)
X-Original-Message-ID: {0}

Final-Recipient: rfc822; {1}
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com. (2607:f8b0:4864:20::42a, the
 server for the domain gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Mon, 30 Nov 2026 06:07:01 -0800 (PST)

--000000000000a1b2c3d4e5f60718
Content-Type: text/rfc822-headers

DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=herald.test; s=mail;
 h=from:to:subject:date:message-id; bh=abc=; b=def=
From: Herald News <news@herald.test>
To: {1}
Subject: Our November update
Message-Id: {0}
Date: Mon, 30 Nov 2026 14:06:59 +0000

--000000000000a1b2c3d4e5f60718--
)",
      original_id, rcpt, unique_id("mx.google.com"));
}

// Exchange Online's NDR: base64 human part, delivery-status, the original as message/rfc822.
std::string microsoft_dsn(std::string_view original_id, std::string_view rcpt) {
  return fmt::format(
      R"(Received: from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:1::1)
 by AM0PR01MB1234.eurprd01.prod.exchangelabs.com with Microsoft SMTP Server
 id 15.20.7046.23; Mon, 30 Nov 2026 14:08:00 +0000
MIME-Version: 1.0
From: <postmaster@contoso.onmicrosoft.com>
To: <bounces@herald.test>
Date: Mon, 30 Nov 2026 14:08:00 +0000
Content-Type: multipart/report; report-type=delivery-status;
	boundary="d4ab1f7e-4c1b-4e9d-9a4e-2b1d5a6c7e8f"
X-MS-Exchange-Message-Is-Ndr:
Content-Language: en-US
Message-ID: {2}
In-Reply-To: {0}
References: {0}
Thread-Topic: Our November update
Subject: Undeliverable: Our November update
Auto-Submitted: auto-replied

--d4ab1f7e-4c1b-4e9d-9a4e-2b1d5a6c7e8f
Content-Type: multipart/alternative; differences=Content-Type;
	boundary="5b4c1a2e-9f7d-4b3a-8c6e-1d2f3a4b5c6d"

--5b4c1a2e-9f7d-4b3a-8c6e-1d2f3a4b5c6d
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: base64

WW91ciBtZXNzYWdlIHRvIHRoZSByZWNpcGllbnQgY291bGRuJ3QgYmUgZGVsaXZlcmVkLg==

--5b4c1a2e-9f7d-4b3a-8c6e-1d2f3a4b5c6d
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><b>Your message couldn't be delivered.</b></body></html>

--5b4c1a2e-9f7d-4b3a-8c6e-1d2f3a4b5c6d--

--d4ab1f7e-4c1b-4e9d-9a4e-2b1d5a6c7e8f
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com
Received-From-MTA: dns;herald.test
Arrival-Date: Mon, 30 Nov 2026 14:07:59 +0000

Original-Recipient: rfc822;{1}
Final-Recipient: rfc822;{1}
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not
 found by SMTP address lookup

--d4ab1f7e-4c1b-4e9d-9a4e-2b1d5a6c7e8f
Content-Type: message/rfc822

Received: from herald.test (198.51.100.4) by AM0PR01MB1234.mail.protection.outlook.com
From: Herald News <news@herald.test>
To: <{1}>
Subject: Our November update
Date: Mon, 30 Nov 2026 14:07:58 +0000
Message-ID: {0}
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0

Hello, here is our update.

--d4ab1f7e-4c1b-4e9d-9a4e-2b1d5a6c7e8f--
)",
      original_id, rcpt, unique_id("AM0PR01MB1234.eurprd01.prod.exchangelabs.com"));
}

// RFC 5965 / RFC 6650: an abuse report from a feedback loop.
std::string arf_report(std::string_view original_id, std::string_view rcpt) {
  return fmt::format(
      R"(From: <staff@fbl.example.net>
Date: Mon, 30 Nov 2026 15:00:00 +0000
Subject: FW: Our November update
To: <abuse@herald.test>
MIME-Version: 1.0
Message-ID: {2}
Content-Type: multipart/report; report-type=feedback-report;
     boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
198.51.100.4 on Mon, 30 Nov 2026 14:03:09 +0000.
For more information about this format please see
http://www.mipassoc.org/arf/.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <news@herald.test>
Original-Rcpt-To: <{1}>
Arrival-Date: Mon, 30 Nov 2026 14:03:09 +0000
Reporting-MTA: dns; mail.example.net
Source-IP: 198.51.100.4
Authentication-Results: mail.example.net; spf=pass smtp.mail=news@herald.test

--part1_13d.2e68ed54_boundary
Content-Type: message/rfc822
Content-Disposition: inline

From: Herald News <news@herald.test>
Received: from herald.test (198.51.100.4) by mail.example.net
To: {1}
Subject: Our November update
Date: Mon, 30 Nov 2026 14:03:09 +0000
Message-ID: {0}

Hello, here is our update.

--part1_13d.2e68ed54_boundary--
)",
      original_id, rcpt, unique_id("fbl.example.net"));
}

// Outlook's automatic reply: Auto-Submitted: auto-generated, threaded on our message.
std::string out_of_office(std::string_view original_id, std::string_view from) {
  return fmt::format(
      R"(From: Jane Doe <{1}>
To: Herald News <news@herald.test>
Subject: Automatic reply: Our November update
Thread-Topic: Our November update
Date: Mon, 30 Nov 2026 14:10:00 +0000
Message-ID: {2}
References: {0}
In-Reply-To: {0}
Auto-Submitted: auto-generated
X-Auto-Response-Suppress: All
X-MS-Exchange-Inbox-Rules-Loop: {1}
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0

I am out of the office until 7 December with limited access to email.
)",
      original_id, from, unique_id("example.org"));
}

// A person answering from Gmail: threaded, HTML and text, our message quoted.
std::string human_reply(std::string_view original_id, std::string_view from, std::string_view own_id) {
  return fmt::format(
      R"(MIME-Version: 1.0
Date: Mon, 30 Nov 2026 15:12:40 +0100
References: <older-thread-message@example.org> {0}
In-Reply-To: {0}
Message-ID: {2}
Subject: Re: Our November update
From: Jane Doe <{1}>
To: Herald News <news@herald.test>
Content-Type: multipart/alternative; boundary="0000000000007c2a1b05f0e1d2c3"

--0000000000007c2a1b05f0e1d2c3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Thanks =E2=80=94 yes, I'd like a demo next week. Tuesday works.

Jane

On Mon, 30 Nov 2026 at 15:03, Herald News <news@herald.test> wrote:
> Hello Jane,
>
> here is our November update.
>
> Unsubscribe: https://herald.test/u/abc

--0000000000007c2a1b05f0e1d2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Thanks =E2=80=94 yes, I&#39;d like a demo next week.</div>

--0000000000007c2a1b05f0e1d2c3--
)",
      original_id, from, own_id.empty() ? unique_id("mail.gmail.com") : std::string(own_id));
}

}  // namespace herald::test

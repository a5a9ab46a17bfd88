// The mail engine end to end: render a compiled template, rewrite links for
// click and open tracking, build the MIME message, DKIM-sign it (RSA-2048)
// and deliver it through the SMTP pool, from W worker threads.
//
//   herald_bench_mail SMTP_URL [--messages N] [--threads W] [--pool P] [--signer ours|opendkim|none]
//   herald_bench_mail --stages            per-message cost of each stage, one thread
//
// bench/mail.sh runs it against postfix's smtp-sink and prints the tables.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "mail/composer.hpp"
#include "mail/dkim.hpp"
#include "mail/mime.hpp"
#include "mail/reference/opendkim.hpp"
#include "mail/smtp_pool.hpp"
#include "mail/template.hpp"
#include "mail/tracking.hpp"

using namespace herald;
using namespace herald::mail;
using WallClock = std::chrono::steady_clock;

namespace {

const char* kHtml = R"(<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Acme news</title>
<style>body{font-family:Helvetica,Arial,sans-serif;color:#222}.btn{background:#0a66c2;color:#fff;padding:10px 16px}</style>
</head><body>
<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table width="600" cellpadding="24" cellspacing="0">
<tr><td><img src="https://cdn.acme.example/logo.png" alt="Acme" width="120"></td></tr>
<tr><td>
<h1>What's new at Acme in December</h1>
<p>Hi {{first_name|there}},</p>
<p>Thanks for being with us at {{company|your company}}. Your {{custom.plan|free}} plan now includes three things
you asked for this year: faster imports, saved segments and a calendar of every send.</p>
<p><a class="btn" href="https://acme.example/whats-new?utm_source=herald&amp;utm_campaign=december">See what's new</a></p>
<h2>Faster imports</h2>
<p>A million contacts now import in under ten seconds, with every duplicate and bad row reported by line. Read
<a href="https://blog.acme.example/2026/12/imports">how we made imports fast</a>.</p>
<h2>Saved segments</h2>
<p>Save any filter as a segment and reuse it in campaigns; the count is always current. See
<a href="https://docs.acme.example/segments">the documentation</a>.</p>
<ul><li>Filters by tag, status, owner and custom field</li><li>Live member counts</li><li>Shared with your team</li></ul>
<h2>Send calendar</h2>
<p>Every scheduled campaign on one page, with its audience and its throttle. Questions? Write to
<a href="mailto:support@acme.example">support@acme.example</a> or visit <a href="https://acme.example/help">the help centre</a>.</p>
<p>— The Acme team</p>
</td></tr>
<tr><td style="font-size:12px;color:#888">You receive this because you signed up at acme.example.
<a href="{{unsubscribe_url}}">Unsubscribe</a> · Acme Inc., 1 Main Street, Springfield</td></tr>
</table></td></tr></table>
</body></html>
)";

// Leads as the campaigns domain will hand them over: their public JSON.
std::vector<nlohmann::json> make_leads(std::size_t n) {
  const char* names[] = {"Ann", "Bo", "Zoë", "José", "Li", "", "Mariana", "Søren", "Chidi", "Ava"};
  const char* companies[] = {"Acme & Co", "Globex", "Initech", "", "Umbrella", "Hooli", "Vandelay Industries"};
  const char* plans[] = {"pro", "team", "", "enterprise"};
  std::vector<nlohmann::json> leads;
  leads.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    leads.push_back({{"id", i + 1},
                     {"email", fmt::format("lead{}@example{}.com", i, i % 7)},
                     {"first_name", names[i % 10]},
                     {"last_name", "Smith"},
                     {"company", companies[i % 7]},
                     {"status", "new"},
                     {"tags", {"newsletter"}},
                     {"custom_fields", {{"plan", plans[i % 4]}}}});
  return leads;
}

long peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

struct Engine {
  CompiledTemplate tpl = CompiledTemplate::compile({"{{first_name|Hello}}, what's new at Acme in December", kHtml, ""});
  TokenSigner tokens{std::string(48, 'k')};
  Tracker tracker{tokens, "https://herald.acme.example"};
  GeneratedDkimKey key = generate_dkim_key(2048);
  DkimSigner ours{{"acme.example", "herald", key.private_key_pem}};
  reference::OpendkimSigner opendkim{"acme.example", "herald", key.private_key_pem};
  SystemClock clock;
  Composer signing{tracker, &ours, clock};
  Composer plain{tracker, nullptr, clock};
  CampaignMail campaign;

  Engine() {
    campaign.campaign_id = 7;
    campaign.campaign_name = "December news";
    campaign.content = &tpl;
    campaign.from = {"Acme News", "news@acme.example"};
    campaign.bounce_address = "bounces@acme.example";
    campaign.unsubscribe_mailto = "mailto:unsubscribe@acme.example";
  }
  OutgoingMessage build(const nlohmann::json& lead, const std::string& signer) const {
    if (signer == "ours") return signing.compose(campaign, lead).message;
    auto message = plain.compose(campaign, lead).message;
    if (signer == "opendkim") message.data.insert(0, opendkim.sign(message.data));
    return message;
  }
};

// CPU time (user + system) of the whole process so far.
double process_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto us = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); };
  return us(u.ru_utime) + us(u.ru_stime);
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// CPU time of this thread per call (steadier than wall time on a shared machine).
double per_call_us(int n, const std::function<void(int)>& f) {
  double start = thread_cpu_us();
  for (int i = 0; i < n; ++i) f(i);
  return (thread_cpu_us() - start) / n;
}

int stages() {
  Engine e;
  auto leads = make_leads(1000);
  auto vars = Variables::from_lead(leads[0]);
  vars.set("unsubscribe_url", e.tracker.unsubscribe_url(7, 1));
  auto content = e.tpl.render(vars);
  auto tracked = e.tracker.apply(content.html, 7, 1, true, true);
  Message m;
  m.from = {"Acme News", "news@acme.example"};
  m.to = {"Ann Smith", "ann@example.com"};
  m.subject = content.subject;
  m.text = content.text;
  m.html = tracked.html;
  m.message_id = make_message_id(7, 1, "acme.example");
  m.date = std::chrono::system_clock::now();
  m.list_unsubscribe_url = e.tracker.unsubscribe_url(7, 1);
  m.list_unsubscribe_mailto = "mailto:unsubscribe@acme.example";
  m.feedback_id = make_feedback_id(7);
  auto data = build_message(m);
  // Raw RSA-2048 PKCS#1 v1.5 over a SHA-256 digest with a parsed key: the floor.
  BIO* bio = BIO_new_mem_buf(e.key.private_key_pem.data(), static_cast<int>(e.key.private_key_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  unsigned char digest[32] = {1};
  std::vector<unsigned char> sig(512);

  struct Row {
    const char* name;
    int n;
    std::function<void(int)> f;
  };
  std::vector<Row> rows = {
      {"variables from the lead's JSON", 20000, [&](int i) { (void)Variables::from_lead(leads[i % 1000]); }},
      {"render subject + html + text", 20000, [&](int) { (void)e.tpl.render(vars); }},
      {"tracking: 4 click links + open pixel", 20000,
       [&](int i) { (void)e.tracker.apply(content.html, 7, i, true, true); }},
      {"MIME build", 20000, [&](int) { (void)build_message(m); }},
      {"DKIM sign, Herald (OpenSSL, key parsed once)", 2000,
       [&](int) { (void)e.ours.sign(data, std::chrono::system_clock::now()); }},
      {"DKIM sign, libopendkim 2.11", 1000, [&](int) { (void)e.opendkim.sign(data); }},
      {"raw RSA-2048 sign of a digest (EVP_PKEY_sign)", 2000,
       [&](int) {
         EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(pkey, nullptr);
         EVP_PKEY_sign_init(ctx);
         EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
         EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256());
         size_t len = sig.size();
         EVP_PKEY_sign(ctx, sig.data(), &len, digest, sizeof digest);
         EVP_PKEY_CTX_free(ctx);
       }},
      {"raw RSA-2048 sign of a digest, context prepared once", 2000,
       [&](int) {
         static EVP_PKEY_CTX* ctx = [&] {
           EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(pkey, nullptr);
           EVP_PKEY_sign_init(c);
           EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING);
           EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
           return c;
         }();
         size_t len = sig.size();
         EVP_PKEY_sign(ctx, sig.data(), &len, digest, sizeof digest);
       }},
      {"PEM private key parse (what libopendkim repeats per message)", 1000,
       [&](int) {
         BIO* b = BIO_new_mem_buf(e.key.private_key_pem.data(), static_cast<int>(e.key.private_key_pem.size()));
         EVP_PKEY_free(PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr));
         BIO_free(b);
       }},
      {"whole message: Composer::compose, signed (no delivery)", 2000,
       [&](int i) { (void)e.build(leads[i % 1000], "ours"); }},
  };
  std::printf("| stage (one thread, message of %zu bytes) | CPU µs per message |\n|---|---:|\n", data.size());
  for (auto& row : rows) {
    row.f(0);  // warm up
    std::printf("| %s | %.1f |\n", row.name, per_call_us(row.n, row.f));
  }
  EVP_PKEY_free(pkey);
  return 0;
}

int run(const std::string& url, std::size_t messages, int threads, std::size_t pool_size, const std::string& signer) {
  Engine e;
  auto leads = make_leads(10000);
  SmtpPool pool(parse_smtp_url(url), pool_size);
  std::atomic<std::size_t> next{0}, accepted{0}, failed{0};
  std::atomic<std::size_t> bytes{0};
  double cpu_start = process_cpu_us();
  auto start = WallClock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < messages; i = next++) {
        auto message = e.build(leads[i % leads.size()], signer);
        bytes += message.data.size();
        auto r = pool.send(message.mail_from, message.rcpt_to, message.data);
        if (r.accepted()) {
          ++accepted;
        } else if (failed++ < 5) {
          std::fprintf(stderr, "message %zu: %s\n", i, r.to_string().c_str());
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  double seconds = std::chrono::duration<double>(WallClock::now() - start).count();
  double cpu_us = process_cpu_us() - cpu_start;
  std::printf("| %s | %zu | %d | %zu | %zu | %zu | %.1f | %.0f | %.1f | %.0f |\n", signer.c_str(), messages, threads,
              pool_size, accepted.load(), failed.load(), seconds, messages / seconds, peak_rss_kib() / 1024.0,
              cpu_us / static_cast<double>(messages));
  std::fprintf(stderr, "average message %zu bytes, %llu connections opened\n", bytes.load() / messages,
               static_cast<unsigned long long>(pool.stats().connections_opened));
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  crypto::init();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--stages") return stages();
  if (args.empty() || args[0].rfind("smtp", 0) != 0) {
    std::fprintf(stderr,
                 "usage: herald_bench_mail SMTP_URL [--messages N] [--threads W] [--pool P] "
                 "[--signer ours|opendkim|none]\n       herald_bench_mail --stages\n");
    return 2;
  }
  std::size_t messages = 100000, pool = 4;
  int threads = 4;
  std::string signer = "ours";
  for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
    if (args[i] == "--messages")
      messages = std::stoul(args[i + 1]);
    else if (args[i] == "--threads")
      threads = std::stoi(args[i + 1]);
    else if (args[i] == "--pool")
      pool = std::stoul(args[i + 1]);
    else if (args[i] == "--signer")
      signer = args[i + 1];
  }
  return run(args[0], messages, threads, pool, signer);
}

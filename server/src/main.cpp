// herald: the one binary. Parses the command line and hands over to cli/.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "storage/database.hpp"

int main(int argc, char** argv) {
  using namespace herald;
  CLI::App app{"Herald: self-hosted outreach platform", "herald"};
  app.require_subcommand(1);
  cli::GlobalOptions global;
  app.add_option("--config", global.config_file, "herald.toml settings file (environment variables win)");

  cli::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the API and web UI (and workers unless --no-workers)");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (default HERALD_LISTEN)");
  serve_cmd->add_flag("--no-workers", serve.no_workers, "Do not run background workers in this process");

  cli::WorkerCommandOptions worker;
  auto* worker_cmd = app.add_subcommand("worker", "Run background workers only");
  worker_cmd->add_option("--queues", worker.queues,
                         "Comma-separated queues to consume (default: emails,campaigns,analytics)");
  worker_cmd->add_option("--concurrency", worker.concurrency,
                         "Jobs processed at once (default HERALD_WORKER_CONCURRENCY)");

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations and exit");

  auto* user_cmd = app.add_subcommand("user", "Manage users");
  user_cmd->require_subcommand(1);
  auto* user_create = user_cmd->add_subcommand("create", "Create a user; the password is read from stdin");
  std::string email, role = "member", name;
  bool password_stdin = false;
  user_create->add_option("--email", email, "Email address")->required();
  user_create->add_flag("--password-stdin", password_stdin, "Read the password from standard input")->required();
  user_create->add_option("--role", role, "Role (admin, manager, member, viewer or a custom role)");
  user_create->add_option("--name", name, "Display name");

  auto* import_cmd = app.add_subcommand("import-leads", "Import leads from a CSV file with a progress bar");
  cli::ImportLeadsOptions import_leads;
  import_cmd->add_option("FILE", import_leads.file, "CSV file")->required();
  import_cmd->add_option("--list", import_leads.list, "List to add the leads to (a tag and a segment of that name)");
  import_cmd->add_option("--tag", import_leads.tags, "Tag to apply (repeatable)");
  import_cmd->add_option("--mode", import_leads.mode, "create_only (default), upsert or update_only");
  import_cmd->add_option("--mapping", import_leads.mapping, "JSON object: CSV header -> lead field or cf.<key>");
  import_cmd->add_option("--source", import_leads.source, "Source recorded on created leads (default import)");
  import_cmd->add_option("--errors", import_leads.errors_file, "Write the whole per-row report (CSV) here");

  auto* version_cmd = app.add_subcommand("version", "Print version, build and dependency versions");

  auto* config_cmd = app.add_subcommand("config", "Inspect the settings");
  config_cmd->require_subcommand(1);
  auto* config_settings = config_cmd->add_subcommand("settings", "List every setting's environment variable name");
  auto* config_check =
      config_cmd->add_subcommand("check", "Validate the settings from the environment and --config, then exit");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (*serve_cmd) return cli::serve(global, serve);
    if (*migrate_cmd) return cli::migrate(global);
    if (*version_cmd) return cli::version();
    if (*worker_cmd) return cli::worker(global, worker);
    if (*user_cmd) return cli::user_create(global, email, role, name);
    if (*import_cmd) return cli::import_leads(global, import_leads);
    if (*config_settings) return cli::config_settings();
    if (*config_check) return cli::config_check(global);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "herald: configuration error: %s\n", e.what());
    return 2;
  } catch (const storage::DbError& e) {
    std::fprintf(stderr, "herald: database error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "herald: %s\n", e.what());
    return 1;
  }
  return 2;
}

// SQLite on a filesystem that fills up: writes answer 507 naming the cause,
// reads keep answering, the health report says the database is degraded and
// why, the file stays intact, an import whose batches do not fit says it is
// retrying (its report and the queue admin API agree) — and once space is
// freed, writes succeed again and the import completes with exactly its rows.
//
// The filesystem is a real, size-limited tmpfs the test mounts under the
// data directory, which needs root (CI runs the tests as root).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "storage/database.hpp"
#include "support/api_client.hpp"
#include "support/test_server.hpp"

namespace herald::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// A tmpfs of `size` bytes at a fresh directory, unmounted at the end.
class SmallFilesystem {
 public:
  explicit SmallFilesystem(std::uint64_t size)
      : path_(std::filesystem::temp_directory_path() / fmt::format("herald-full-{}", std::random_device{}())) {
    std::filesystem::create_directories(path_);
    const std::string options = fmt::format("size={}", size);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      const int e = errno;
      std::filesystem::remove(path_);
      throw std::runtime_error(fmt::format("mounting a tmpfs at {} failed: {}", path_.string(), std::strerror(e)));
    }
  }
  ~SmallFilesystem() {
    ::umount2(path_.c_str(), MNT_DETACH);
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  std::uint64_t free_bytes() const {
    struct statvfs s {};
    ::statvfs(path_.c_str(), &s);
    return static_cast<std::uint64_t>(s.f_bavail) * s.f_frsize;
  }
  // Takes space with the file `name` until `leave` bytes are free (0: none).
  void fill(const std::string& name, std::uint64_t leave) {
    const auto file = path_ / name;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ASSERT_GE(fd, 0);
    const std::uint64_t free = free_bytes();
    if (free > leave) {
      // The server writes too (heartbeats, the audit log): when the space
      // measured a moment ago is gone, take a little less.
      auto take = static_cast<off_t>((free - leave) / 4096 * 4096);
      const auto at = static_cast<off_t>(std::filesystem::file_size(file));
      while (take > 0 && ::posix_fallocate(fd, at, take) == ENOSPC) take -= std::min<off_t>(take, 256 * 1024);
    }
    if (leave == 0) {
      const std::string block(4096, 'x');
      while (::write(fd, block.data(), block.size()) > 0) {
      }
      while (::write(fd, "x", 1) > 0) {
      }
    }
    ::close(fd);
    if (leave == 0) {
      ASSERT_EQ(free_bytes(), 0u);
    }
  }
  void release(const std::string& name) { std::filesystem::remove(path_ / name); }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<storage::Database> open_file(const std::filesystem::path& db) {
  return storage::open_database("sqlite://" + db.string(), {.pool_size = 1});
}

// Moves the WAL into the database and truncates it, so that from now on any
// write needs new space.
void empty_the_wal(const std::filesystem::path& db) {
  auto conn = open_file(db);
  for (int i = 0; i < 200; ++i) {
    std::int64_t busy = 1;
    conn->acquire()->execute("PRAGMA wal_checkpoint(TRUNCATE)", {},
                             [&](const storage::Row& r) { busy = r.integer(0); });
    if (busy == 0) return;
    std::this_thread::sleep_for(milliseconds(50));
  }
  FAIL() << "the WAL could not be checkpointed";
}

std::string integrity(const std::filesystem::path& db) {
  std::string out;
  open_file(db)->acquire()->execute("PRAGMA integrity_check", {}, [&](const storage::Row& r) { out += r.str(0); });
  return out;
}

void expect_insufficient_storage(const HttpResponse& r) {
  EXPECT_EQ(r.status, 507) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
  if (r.status != 507) return;
  auto doc = r.json();
  EXPECT_EQ(doc["type"], "urn:herald:problem:insufficient-storage");
  EXPECT_EQ(doc["status"], 507);
  EXPECT_NE(doc["detail"].get<std::string>().find("the database cannot write: the disk is full"), std::string::npos)
      << doc.dump();
}

bool eventually(const std::function<bool()>& done, milliseconds timeout) {
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return done();
}

// A server whose SQLite data directory is a fresh small filesystem, with three leads.
class DiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "\n\n"
                   << "*************************************************************************\n"
                   << "*  SKIPPED: the full-disk test mounts a small tmpfs, which needs root.  *\n"
                   << "*  Run the tests as root (CI does) to cover it.                         *\n"
                   << "*************************************************************************\n";
    }
    fs_ = std::make_unique<SmallFilesystem>(96ull << 20);
    db_file_ = fs_->path() / "herald.db";
    server_ = std::make_unique<AuthedServer>("sqlite://" + db_file_.string(),
                                             [this](Config& c) { c.data_dir = fs_->path(); });
    for (const char* email : {"ann@example.com", "bob@example.com", "cat@example.com"}) {
      auto r = server_->admin().post("/api/leads", {{"email", email}, {"first_name", "Before"}});
      ASSERT_EQ(r.status, 201) << r.body;
      ids_.push_back(std::to_string(r.json()["id"].get<std::int64_t>()));
    }
  }
  void TearDown() override {
    server_.reset();  // before the filesystem goes
    fs_.reset();
  }

  std::unique_ptr<SmallFilesystem> fs_;
  std::filesystem::path db_file_;
  std::unique_ptr<AuthedServer> server_;
  std::vector<std::string> ids_;
};

TEST_F(DiskFull, WritesAnswer507ReadsKeepWorkingAndWritesSucceedOnceThereIsRoom) {
  auto& fs = *fs_;
  auto& server = *server_;
  auto& admin = server.admin();
  const auto& db_file = db_file_;
  const auto& ids = ids_;

  // ---- the disk is full
  ASSERT_NO_FATAL_FAILURE(empty_the_wal(db_file));
  ASSERT_NO_FATAL_FAILURE(fs.fill("ballast", 0));

  expect_insufficient_storage(admin.post("/api/leads", {{"email", "late@example.com"}}));
  expect_insufficient_storage(admin.patch("/api/leads/" + ids[0], {{"first_name", "During"}}));
  expect_insufficient_storage(admin.post("/api/leads/bulk", {{"action", "tag"}, {"tag", "x"}, {"ids", {1, 2}}}));
  HttpClient anonymous(server.port());
  expect_insufficient_storage(anonymous.post_json(
      "/api/auth/login", {{"email", std::string(kAdminEmail)}, {"password", std::string(kAdminPassword)}}));

  auto list = admin.get("/api/leads");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["total"], 3);
  auto one = admin.get("/api/leads/" + ids[0]);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["first_name"], "Before");
  EXPECT_EQ(admin.get("/api/leads/export").status, 200);

  auto health = admin.get("/api/health/detailed");
  ASSERT_EQ(health.status, 200) << health.body;  // degraded, still serving
  EXPECT_EQ(health.json()["status"], "degraded");
  auto database = health.json()["services"]["database"];
  EXPECT_EQ(database["status"], "degraded");
  EXPECT_EQ(database["error"], "the database cannot write: the disk is full");
  EXPECT_EQ(integrity(db_file), "ok");

  // ---- room again
  fs.release("ballast");
  auto late = admin.post("/api/leads", {{"email", "late@example.com"}});
  EXPECT_EQ(late.status, 201) << late.body;
  EXPECT_EQ(admin.patch("/api/leads/" + ids[0], {{"first_name", "After"}}).status, 200);
  EXPECT_EQ(admin.get("/api/leads/" + ids[0]).json()["first_name"], "After");
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 4);
  EXPECT_EQ(integrity(db_file), "ok");
}

TEST_F(DiskFull, AnImportWhoseBatchesDoNotFitIsRetryingThenCompletesOnceThereIsRoom) {
  auto& fs = *fs_;
  auto& server = *server_;
  auto& admin = server.admin();
  // The upload fits; its leads (ten tags each, some forty times the file) do not.
  constexpr int kRows = 20000;
  std::string csv = "email\n";
  for (int i = 0; i < kRows; ++i) csv += fmt::format("import{}@example.com\n", i);
  ASSERT_NO_FATAL_FAILURE(fs.fill("ballast", 4 * csv.size()));
  HttpClient uploader(server.port());
  auto upload = uploader.request("POST", "/api/leads/import?tag=t1,t2,t3,t4,t5,t6,t7,t8,t9,t10", csv,
                                 {{"Authorization", "Bearer " + admin.token()}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(upload.status, 202) << upload.body;
  const std::string job_id = upload.json()["job_id"];

  // The report and the queue admin API tell the same story: retrying, why, and when next.
  nlohmann::json report, job;
  const bool agreed = eventually(
      [&] {
        report = admin.get("/api/leads/import/" + job_id).json();
        if (report.value("status", "") != "retrying" || !report["queue_job_id"].is_string()) return false;
        job = admin.get("/api/admin/jobs/" + report["queue_job_id"].get<std::string>()).json();
        return job.value("status", "") == "retrying" && job["error"] == report["error"] &&
               job["next_attempt_at"] == report["next_attempt_at"];
      },
      seconds(120));
  ASSERT_TRUE(agreed) << "import: " << report.dump() << "\njob: " << job.dump();
  EXPECT_NE(report["error"].get<std::string>().find("the database cannot write: the disk is full"), std::string::npos)
      << report.dump();
  EXPECT_TRUE(report["next_attempt_at"].is_string());
  EXPECT_EQ(report["created"], 0);  // nothing half-written
  EXPECT_EQ(admin.get("/api/leads").json()["total"], 3);
  EXPECT_EQ(admin.get("/api/health/detailed").json()["services"]["database"]["status"], "degraded");

  fs.release("ballast");
  nlohmann::json done;
  ASSERT_TRUE(eventually(
      [&] {
        done = admin.get("/api/leads/import/" + job_id).json();
        return done.value("status", "") == "completed";
      },
      seconds(180)))
      << done.dump();
  EXPECT_EQ(done["rows"], kRows);
  EXPECT_EQ(done["created"], kRows);
  EXPECT_EQ(done["skipped"], 0);
  EXPECT_EQ(done["failed"], 0);
  EXPECT_TRUE(done["error"].is_null()) << done.dump();
  EXPECT_EQ(admin.get("/api/leads").json()["total"], kRows + 3);
  EXPECT_EQ(admin.get("/api/leads?tag=t10").json()["total"], kRows);
  EXPECT_EQ(integrity(db_file_), "ok");
}

}  // namespace
}  // namespace herald::test

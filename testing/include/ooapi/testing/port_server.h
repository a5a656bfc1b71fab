#pragma once
// A test server in a child process (the Python fakes: fake_ckan.py, surf_sim.py) that prints
// "PORT <n>" as its first line on stdout once it listens. Stopped with SIGTERM when destroyed.
#include <sys/types.h>

#include <string>
#include <vector>

namespace ooapi::testing {

class PortServer {
 public:
  PortServer() = default;
  ~PortServer() { Stop(); }
  PortServer(const PortServer&) = delete;
  PortServer& operator=(const PortServer&) = delete;

  // Runs `argv` (argv[0] looked up in PATH). Returns "" when the server printed its port, else
  // what went wrong.
  std::string Start(const std::vector<std::string>& argv);
  void Stop();
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace ooapi::testing

#include "ooapi/testing/port_server.h"

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <cstdio>

namespace ooapi::testing {

std::string PortServer::Start(const std::vector<std::string>& argv) {
  Stop();
  if (argv.empty()) return "no command";
  int out[2];
  if (::pipe(out) != 0) return "pipe failed";
  std::vector<char*> args;
  args.reserve(argv.size());
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) return "fork failed";
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execvp(args[0], args.data());
    std::perror("exec");
    ::_exit(127);
  }
  ::close(out[1]);
  std::FILE* f = ::fdopen(out[0], "r");
  if (f == nullptr) return "fdopen failed";
  char line[64] = {0};
  const bool got = std::fgets(line, sizeof line, f) != nullptr;
  std::fclose(f);
  if (!got) return argv[0] + " " + (argv.size() > 1 ? argv[1] : "") + " did not start";
  if (std::sscanf(line, "PORT %d", &port_) != 1)
    return std::string("unexpected first line: ") + line;
  return "";
}

void PortServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace ooapi::testing

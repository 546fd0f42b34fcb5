#include "cleaner/cli/ordered_pool.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace clean {

void RunOrdered(size_t n, int jobs, size_t window,
                const std::function<void(int worker, size_t i)>& work,
                const std::function<bool(size_t i)>& emit) {
  if (jobs <= 1) {
    for (size_t i = 0; i < n; ++i) {
      work(0, i);
      if (!emit(i)) return;
    }
    return;
  }
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::vector<char> done(window, 0);  // slot i % window: item i is done
  size_t next = 0, emitted = 0;
  bool stop = false;
  auto worker = [&](int w) {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      work_cv.wait(lock, [&] { return stop || next >= n || next < emitted + window; });
      if (stop || next >= n) return;
      size_t i = next++;
      lock.unlock();
      work(w, i);
      lock.lock();
      done[i % window] = 1;
      done_cv.notify_one();
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < jobs; ++w) threads.emplace_back(worker, w);
  for (size_t i = 0; i < n; ++i) {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done[i % window] != 0; });
    lock.unlock();
    bool go_on = emit(i);
    lock.lock();
    done[i % window] = 0;
    emitted = i + 1;
    stop = !go_on;
    work_cv.notify_all();
    if (stop) break;
  }
  for (auto& t : threads) t.join();
}

}  // namespace clean

// Runs the items of a batch on worker threads and hands their results to
// the calling thread in input order, so that what is written does not
// depend on the number of workers.
#pragma once
#include <cstddef>
#include <functional>

namespace clean {

// Calls work(worker, i) for every i in [0, n), on `jobs` threads (worker in
// [0, jobs)), and emit(i) on the calling thread in order of i, each once
// its work is done. At most `window` items are done or under way and not
// yet emitted, so the caller keeps item i's result in slot i % window.
// When emit returns false no further work starts, and RunOrdered returns
// once the items under way are done. With one job, work and emit run in
// turn on the calling thread.
void RunOrdered(size_t n, int jobs, size_t window,
                const std::function<void(int worker, size_t i)>& work,
                const std::function<bool(size_t i)>& emit);

}  // namespace clean

// Counts the heap bytes a test binary holds, for tests that check memory accounting against what
// is really allocated. Linking mcpcap_heap_meter replaces the global operator new and delete of
// that binary (only link it into tests that need it): every allocation is counted by the size
// malloc gave it.
//
//   const int64_t before = testing::LiveHeapBytes();
//   ... build the thing ...
//   const int64_t held = testing::LiveHeapBytes() - before;
#ifndef MCPCAP_TESTS_TESTING_HEAP_METER_H_
#define MCPCAP_TESTS_TESTING_HEAP_METER_H_

#include <cstdint>

namespace mcpcap::testing {

// Bytes allocated through operator new and not freed yet.
int64_t LiveHeapBytes();

// The most LiveHeapBytes() reached since the last call (which starts a new watch from now).
int64_t PeakHeapBytes();
void ResetPeakHeapBytes();

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_HEAP_METER_H_

// Times in results: instants as google.protobuf.Timestamp, spans as google.protobuf.Duration,
// both to the nanosecond (the gateway renders them as RFC 3339 strings and unit-named numbers).
#ifndef MCPCAP_BACKEND_BASE_PROTO_TIME_H_
#define MCPCAP_BACKEND_BASE_PROTO_TIME_H_

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

namespace mcpcap {

// From a record's (ts_sec, ts_nsec).
void SetTimestamp(int64_t sec, uint32_t nsec, google::protobuf::Timestamp* out);
// From nanoseconds since the epoch (CaptureNanos).
void SetTimestampNanos(int64_t nanos, google::protobuf::Timestamp* out);
// The current wall-clock time.
void SetNow(google::protobuf::Timestamp* out);

// From nanoseconds.
void SetDurationNanos(int64_t nanos, google::protobuf::Duration* out);
// From milliseconds, rounded to the nanosecond.
void SetDurationMillis(double millis, google::protobuf::Duration* out);

// The span in nanoseconds (saturating) and in milliseconds.
int64_t DurationNanos(const google::protobuf::Duration& d);
double DurationMillis(const google::protobuf::Duration& d);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_BASE_PROTO_TIME_H_

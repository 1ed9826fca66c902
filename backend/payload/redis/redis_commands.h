// What Redis commands mean for a reader of queries: their class (DbQuery::query_type), whether
// an integer reply counts changed items, and a bounded, secret-free command line.
#ifndef MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_COMMANDS_H_
#define MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace mcpcap::payload {

// READ, WRITE, ADMIN, AUTH, PUBSUB, TRANSACTION, SCRIPT, CONNECTION or OTHER, for an upper-case
// verb ("GET" -> READ, "FLUSHALL" -> ADMIN).
absl::string_view RedisCommandClass(absl::string_view verb);

// True when the integer reply of `verb` is the number of keys/items it changed (DEL, HSET, SADD,
// EXPIRE ...), not a value (INCR, LPUSH's new length).
bool RedisIntegerCountsChanges(absl::string_view verb);

// The upper-cased verb, at most 32 bytes.
std::string RedisVerb(absl::string_view first_argument);

// "SET key value" from a command's arguments (`sizes`: each one's full length on the wire;
// `total`: how many arguments the command had). Arguments with spaces or binary bytes are quoted
// like redis-cli does, cut ones end in "...(N bytes)", and passwords (AUTH, HELLO AUTH,
// CONFIG SET requirepass, MIGRATE AUTH, ACL SETUSER >pass) are masked. At most kMaxTextBytes.
std::string RedisCommandText(const std::vector<std::string>& args,
                             const std::vector<uint64_t>& sizes, uint64_t total);

// An argument as redis-cli prints it: as is when it is a plain word, else quoted with escapes.
std::string RedisQuote(absl::string_view argument);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_REDIS_REDIS_COMMANDS_H_

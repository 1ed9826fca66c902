#include "backend/payload/redis/redis_commands.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "backend/payload/common/app_events.h"
#include "backend/payload/common/text_bounds.h"

namespace mcpcap::payload {
namespace {

const absl::flat_hash_map<absl::string_view, absl::string_view>& CommandClasses() {
  static const auto* classes = [] {
    auto* m = new absl::flat_hash_map<absl::string_view, absl::string_view>();
    const std::pair<const char*, std::vector<const char*>> table[] = {
        {"READ",
         {"GET",
          "MGET",
          "GETRANGE",
          "SUBSTR",
          "STRLEN",
          "EXISTS",
          "TYPE",
          "TTL",
          "PTTL",
          "EXPIRETIME",
          "PEXPIRETIME",
          "KEYS",
          "SCAN",
          "RANDOMKEY",
          "DBSIZE",
          "DUMP",
          "OBJECT",
          "HGET",
          "HMGET",
          "HGETALL",
          "HKEYS",
          "HVALS",
          "HLEN",
          "HEXISTS",
          "HSTRLEN",
          "HSCAN",
          "HRANDFIELD",
          "LRANGE",
          "LINDEX",
          "LLEN",
          "LPOS",
          "SMEMBERS",
          "SISMEMBER",
          "SMISMEMBER",
          "SCARD",
          "SINTER",
          "SINTERCARD",
          "SUNION",
          "SDIFF",
          "SRANDMEMBER",
          "SSCAN",
          "ZRANGE",
          "ZRANGEBYSCORE",
          "ZRANGEBYLEX",
          "ZREVRANGE",
          "ZREVRANGEBYSCORE",
          "ZREVRANGEBYLEX",
          "ZRANK",
          "ZREVRANK",
          "ZSCORE",
          "ZMSCORE",
          "ZCARD",
          "ZCOUNT",
          "ZLEXCOUNT",
          "ZSCAN",
          "ZRANDMEMBER",
          "ZINTER",
          "ZUNION",
          "ZDIFF",
          "ZINTERCARD",
          "XRANGE",
          "XREVRANGE",
          "XREAD",
          "XREADGROUP",
          "XLEN",
          "XINFO",
          "XPENDING",
          "GETBIT",
          "BITCOUNT",
          "BITPOS",
          "BITFIELD_RO",
          "PFCOUNT",
          "GEOPOS",
          "GEODIST",
          "GEOHASH",
          "GEORADIUS_RO",
          "GEORADIUSBYMEMBER_RO",
          "GEOSEARCH",
          "LCS",
          "TOUCH",
          "SORT_RO",
          "STRALGO"}},
        {"WRITE",
         {"SET",
          "SETNX",
          "SETEX",
          "PSETEX",
          "MSET",
          "MSETNX",
          "GETSET",
          "GETDEL",
          "GETEX",
          "APPEND",
          "SETRANGE",
          "INCR",
          "INCRBY",
          "INCRBYFLOAT",
          "DECR",
          "DECRBY",
          "DEL",
          "UNLINK",
          "EXPIRE",
          "PEXPIRE",
          "EXPIREAT",
          "PEXPIREAT",
          "PERSIST",
          "RENAME",
          "RENAMENX",
          "MOVE",
          "COPY",
          "RESTORE",
          "HSET",
          "HSETNX",
          "HMSET",
          "HDEL",
          "HINCRBY",
          "HINCRBYFLOAT",
          "LPUSH",
          "RPUSH",
          "LPUSHX",
          "RPUSHX",
          "LPOP",
          "RPOP",
          "LSET",
          "LREM",
          "LTRIM",
          "LINSERT",
          "LMOVE",
          "BLMOVE",
          "RPOPLPUSH",
          "BRPOPLPUSH",
          "LMPOP",
          "BLMPOP",
          "SADD",
          "SREM",
          "SPOP",
          "SMOVE",
          "SINTERSTORE",
          "SUNIONSTORE",
          "SDIFFSTORE",
          "ZADD",
          "ZREM",
          "ZINCRBY",
          "ZPOPMIN",
          "ZPOPMAX",
          "ZMPOP",
          "BZMPOP",
          "ZREMRANGEBYSCORE",
          "ZREMRANGEBYRANK",
          "ZREMRANGEBYLEX",
          "ZRANGESTORE",
          "ZINTERSTORE",
          "ZUNIONSTORE",
          "ZDIFFSTORE",
          "XADD",
          "XDEL",
          "XTRIM",
          "XACK",
          "XCLAIM",
          "XAUTOCLAIM",
          "XGROUP",
          "XSETID",
          "SETBIT",
          "BITOP",
          "BITFIELD",
          "PFADD",
          "PFMERGE",
          "GEOADD",
          "GEOSEARCHSTORE",
          "GEORADIUS",
          "GEORADIUSBYMEMBER",
          "SORT",
          "MIGRATE",
          "BLPOP",
          "BRPOP",
          "BZPOPMIN",
          "BZPOPMAX"}},
        {"ADMIN", {"CONFIG",    "FLUSHALL", "FLUSHDB",  "SHUTDOWN",     "DEBUG",     "CLIENT",
                   "INFO",      "SAVE",     "BGSAVE",   "BGREWRITEAOF", "LASTSAVE",  "SLAVEOF",
                   "REPLICAOF", "SYNC",     "PSYNC",    "SLOWLOG",      "LATENCY",   "ACL",
                   "MODULE",    "CLUSTER",  "FAILOVER", "SWAPDB",       "MONITOR",   "ROLE",
                   "LOLWUT",    "TIME",     "WAIT",     "READONLY",     "READWRITE", "MEMORY"}},
        {"AUTH", {"AUTH"}},
        {"PUBSUB",
         {"SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE",
          "PUBLISH", "SPUBLISH", "PUBSUB"}},
        {"TRANSACTION", {"MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH"}},
        {"SCRIPT",
         {"EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "SCRIPT", "FUNCTION", "FCALL", "FCALL_RO"}},
        {"CONNECTION", {"PING", "HELLO", "SELECT", "QUIT", "ECHO", "RESET"}},
    };
    for (const auto& [cls, verbs] : table) {
      for (const char* verb : verbs) m->emplace(verb, cls);
    }
    return m;
  }();
  return *classes;
}

bool IsPrintableWord(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\\' || c == '\'') return false;
  }
  return true;
}

// redis-cli's quoting of an argument that is not a plain word.
std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u >= 0x7f) {
          absl::StrAppendFormat(&out, "\\x%02x", u);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Indexes of the arguments that hold secrets.
std::vector<size_t> SecretArguments(const std::vector<std::string>& args) {
  std::vector<size_t> secret;
  if (args.empty()) return secret;
  const std::string verb = RedisVerb(args[0]);
  if (verb == "AUTH") {
    if (args.size() >= 2) secret.push_back(args.size() - 1);
  } else if (verb == "HELLO" || verb == "MIGRATE") {
    for (size_t i = 1; i + 1 < args.size(); ++i) {
      if (absl::EqualsIgnoreCase(args[i], "AUTH")) {
        // HELLO ... AUTH user pass; MIGRATE ... AUTH pass
        secret.push_back(verb == "HELLO" && i + 2 < args.size() ? i + 2 : i + 1);
      } else if (absl::EqualsIgnoreCase(args[i], "AUTH2") && i + 2 < args.size()) {
        secret.push_back(i + 2);
      }
    }
  } else if (verb == "CONFIG" && args.size() >= 4 && absl::EqualsIgnoreCase(args[1], "SET")) {
    for (size_t i = 2; i + 1 < args.size(); i += 2) {
      if (absl::EqualsIgnoreCase(args[i], "requirepass") ||
          absl::EqualsIgnoreCase(args[i], "masterauth")) {
        secret.push_back(i + 1);
      }
    }
  } else if (verb == "ACL" && args.size() >= 3 && absl::EqualsIgnoreCase(args[1], "SETUSER")) {
    for (size_t i = 3; i < args.size(); ++i) {
      if (!args[i].empty() && (args[i][0] == '>' || args[i][0] == '#')) secret.push_back(i);
    }
  }
  return secret;
}

}  // namespace

absl::string_view RedisCommandClass(absl::string_view verb) {
  const auto& classes = CommandClasses();
  const auto it = classes.find(verb);
  return it == classes.end() ? "OTHER" : it->second;
}

bool RedisIntegerCountsChanges(absl::string_view verb) {
  static const char* const kCounting[] = {"DEL",
                                          "UNLINK",
                                          "HDEL",
                                          "HSET",
                                          "HSETNX",
                                          "SADD",
                                          "SREM",
                                          "ZADD",
                                          "ZREM",
                                          "LREM",
                                          "SETNX",
                                          "MSETNX",
                                          "EXPIRE",
                                          "PEXPIRE",
                                          "EXPIREAT",
                                          "PEXPIREAT",
                                          "PERSIST",
                                          "RENAMENX",
                                          "SMOVE",
                                          "MOVE",
                                          "COPY",
                                          "XDEL",
                                          "XACK",
                                          "XTRIM",
                                          "ZREMRANGEBYSCORE",
                                          "ZREMRANGEBYRANK",
                                          "ZREMRANGEBYLEX",
                                          "SINTERSTORE",
                                          "SUNIONSTORE",
                                          "SDIFFSTORE",
                                          "ZINTERSTORE",
                                          "ZUNIONSTORE",
                                          "ZDIFFSTORE",
                                          "ZRANGESTORE",
                                          "GEOADD",
                                          "PFADD",
                                          "GEOSEARCHSTORE"};
  for (const char* c : kCounting) {
    if (verb == c) return true;
  }
  return false;
}

std::string RedisVerb(absl::string_view first_argument) {
  return absl::AsciiStrToUpper(first_argument.substr(0, 32));
}

std::string RedisQuote(absl::string_view argument) {
  return IsPrintableWord(argument) ? std::string(argument) : Quote(argument);
}

std::string RedisCommandText(const std::vector<std::string>& args,
                             const std::vector<uint64_t>& sizes, uint64_t total) {
  const std::vector<size_t> secret = SecretArguments(args);
  std::string text;
  for (size_t i = 0; i < args.size() && text.size() < kMaxTextBytes; ++i) {
    if (i > 0) text += ' ';
    if (std::find(secret.begin(), secret.end(), i) != secret.end()) {
      text += MaskSecret(args[i]);
      continue;
    }
    text += RedisQuote(args[i]);
    const uint64_t size = i < sizes.size() ? sizes[i] : args[i].size();
    if (size > args[i].size()) absl::StrAppend(&text, "...(", size, " bytes)");
  }
  if (total > args.size()) absl::StrAppend(&text, " ...(", total, " arguments)");
  if (text.size() > kMaxTextBytes) {
    text.resize(kMaxTextBytes - 3);
    text += "...";
  }
  return text;
}

}  // namespace mcpcap::payload

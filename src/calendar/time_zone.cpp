// SPDX-License-Identifier: Apache-2.0
#include "calendar/time_zone.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/civil_date.hpp"
#include "core/file_util.hpp"

namespace crm::detail {

namespace {

// Transitions are generated from the footer rule up to this instant (2201-01-01T00:00Z), past
// the last supported date in any zone.
constexpr int64_t kRuleHorizon = 7289654400;
constexpr int64_t kEarliestTransition = -(int64_t{1} << 40);  // about 32,800 BCE
constexpr int32_t kMaxOffset = 26 * 3600;  // RFC 8536 allows offsets up to +-25:59:59

// ---- TZif (RFC 8536) -----------------------------------------------------------------------

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool has(size_t n) const { return bytes_.size() - pos_ >= n; }
  void skip(size_t n) { pos_ += n; }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return bytes_.substr(pos_); }
  uint8_t u8() { return static_cast<uint8_t>(bytes_[pos_++]); }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  int64_t i64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return static_cast<int64_t>(v);
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Status malformed(const std::string& why) { return Status::io_error("malformed TZif data: " + why); }

Result<TzifHeader> read_header(ByteReader& r) {
  if (!r.has(44)) return malformed("truncated header");
  TzifHeader h;
  if (r.rest().substr(0, 4) != "TZif") return malformed("missing TZif magic");
  r.skip(4);
  h.version = static_cast<char>(r.u8());
  r.skip(15);
  h.isutcnt = r.u32();
  h.isstdcnt = r.u32();
  h.leapcnt = r.u32();
  h.timecnt = r.u32();
  h.typecnt = r.u32();
  h.charcnt = r.u32();
  if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100000 || h.charcnt > 100000 || h.leapcnt > 100000 ||
      (h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt))
    return malformed("implausible counts in header");
  return h;
}

size_t data_block_size(const TzifHeader& h, size_t time_size) {
  return h.timecnt * time_size + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (time_size + 4) +
         h.isstdcnt + h.isutcnt;
}

// ---- POSIX TZ strings (the TZif footer), e.g. "EST5EDT,M3.2.0,M11.1.0" ----------------------

struct RuleDate {
  char kind = 'M';  // 'J' (1-365, no Feb 29), 'N' (0-365), 'M' (month.week.day)
  int32_t a = 0, b = 0, c = 0;
  int32_t time = 7200;  // local seconds after midnight, may be negative or above 24h
};

struct PosixTz {
  int32_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int32_t dst_offset = 0;
  RuleDate start, end;
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixTz> parse() {
    PosixTz tz;
    if (!name()) return std::nullopt;
    auto std_off = offset(24);
    if (!std_off) return std::nullopt;
    tz.std_offset = -*std_off;  // POSIX offsets are west of Greenwich
    if (done()) return tz;
    if (!name()) return std::nullopt;
    tz.has_dst = true;
    tz.dst_offset = tz.std_offset + 3600;
    if (!done() && peek() != ',') {
      auto dst_off = offset(24);
      if (!dst_off) return std::nullopt;
      tz.dst_offset = -*dst_off;
    }
    if (done()) {  // POSIX leaves the rule to the implementation; use today's US rule like glibc
      tz.start = {'M', 3, 2, 0, 7200};
      tz.end = {'M', 11, 1, 0, 7200};
      return tz;
    }
    if (!eat(',') || !rule_date(tz.start) || !eat(',') || !rule_date(tz.end) || !done()) return std::nullopt;
    return tz;
  }

 private:
  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool name() {
    if (eat('<')) {
      const size_t close = s_.find('>', pos_);
      if (close == std::string_view::npos || close == pos_) return false;
      pos_ = close + 1;
      return true;
    }
    const size_t begin = pos_;
    while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z'))) ++pos_;
    return pos_ - begin >= 3;
  }
  std::optional<int32_t> number(int32_t max) {
    const size_t begin = pos_;
    int32_t v = 0;
    while (!done() && peek() >= '0' && peek() <= '9') {
      v = v * 10 + (peek() - '0');
      if (v > max) return std::nullopt;
      ++pos_;
    }
    if (pos_ == begin) return std::nullopt;
    return v;
  }
  // [+-]hh[:mm[:ss]] in seconds.
  std::optional<int32_t> offset(int32_t max_hours) {
    int32_t sign = 1;
    if (eat('-')) sign = -1;
    else eat('+');
    auto h = number(max_hours);
    if (!h) return std::nullopt;
    int32_t total = *h * 3600;
    if (eat(':')) {
      auto m = number(59);
      if (!m) return std::nullopt;
      total += *m * 60;
      if (eat(':')) {
        auto sec = number(59);
        if (!sec) return std::nullopt;
        total += *sec;
      }
    }
    return sign * total;
  }
  bool rule_date(RuleDate& d) {
    if (eat('M')) {
      d.kind = 'M';
      auto m = number(12);
      if (!m || *m < 1 || !eat('.')) return false;
      auto w = number(5);
      if (!w || *w < 1 || !eat('.')) return false;
      auto wd = number(6);
      if (!wd) return false;
      d.a = *m, d.b = *w, d.c = *wd;
    } else if (eat('J')) {
      d.kind = 'J';
      auto n = number(365);
      if (!n || *n < 1) return false;
      d.a = *n;
    } else {
      d.kind = 'N';
      auto n = number(365);
      if (!n) return false;
      d.a = *n;
    }
    if (eat('/')) {
      auto t = offset(167);
      if (!t) return false;
      d.time = *t;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

bool is_leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Local day number of a rule date in year y.
int32_t rule_day(const RuleDate& d, int32_t y) {
  const int32_t jan1 = *day_number(y, 1, 1);
  switch (d.kind) {
    case 'J': return jan1 + d.a - 1 + ((is_leap(y) && d.a >= 60) ? 1 : 0);
    case 'N': return jan1 + d.a;
    default: {
      const int32_t first = *day_number(y, d.a, 1);
      // POSIX weekdays count from Sunday = 0; weekday_of counts from Monday = 0.
      const int32_t first_wd = (weekday_of(first) + 1) % 7;
      int32_t day = first + (d.c - first_wd + 7) % 7 + (d.b - 1) * 7;
      if (d.b == 5) {
        const int32_t next_month = d.a == 12 ? *day_number(y + 1, 1, 1) : *day_number(y, d.a + 1, 1);
        while (day >= next_month) day -= 7;
      }
      return day;
    }
  }
}

int32_t year_of(int64_t utc) {
  return static_cast<int32_t>(1970 + floor_div(utc, 31556952));  // mean Gregorian year; +-1 is fine
}

}  // namespace

bool parse_fixed_offset(std::string_view text, int32_t& seconds) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return false;
  for (size_t i : {1u, 2u, 4u, 5u})
    if (text[i] < '0' || text[i] > '9') return false;
  const int32_t h = (text[1] - '0') * 10 + (text[2] - '0');
  const int32_t m = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 18 || m > 59 || (h == 18 && m != 0)) return false;
  seconds = (text[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  return true;
}

TimeZone TimeZone::fixed(int32_t utc_offset_seconds) {
  TimeZone tz;
  tz.offsets_ = {utc_offset_seconds};
  return tz;
}

Result<TimeZone> TimeZone::from_tzif(std::string_view bytes) {
  ByteReader r(bytes);
  auto v1 = read_header(r);
  if (!v1.ok()) return std::move(v1).status();
  TzifHeader h = *v1;
  size_t time_size = 4;
  if (h.version >= '2') {  // skip the 32-bit block; the 64-bit one follows with its own header
    const size_t skip = data_block_size(h, 4);
    if (!r.has(skip)) return malformed("truncated version 1 data");
    r.skip(skip);
    auto v2 = read_header(r);
    if (!v2.ok()) return std::move(v2).status();
    h = *v2;
    time_size = 8;
  } else if (h.version != '\0') {
    return malformed("unknown version");
  }
  if (!r.has(data_block_size(h, time_size))) return malformed("truncated data block");

  std::vector<int64_t> times(h.timecnt);
  for (auto& t : times) t = time_size == 8 ? r.i64() : static_cast<int32_t>(r.u32());
  std::vector<uint8_t> type_index(h.timecnt);
  for (auto& i : type_index) {
    i = r.u8();
    if (i >= h.typecnt) return malformed("transition names a missing local time type");
  }
  std::vector<int32_t> type_offset(h.typecnt);
  for (auto& off : type_offset) {
    off = static_cast<int32_t>(r.u32());
    r.skip(2);  // isdst, abbreviation index
    if (off <= -kMaxOffset || off >= kMaxOffset) return malformed("UTC offset out of range");
  }
  r.skip(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
  for (size_t i = 1; i < times.size(); ++i)
    if (times[i] <= times[i - 1]) return malformed("transition times are not ascending");

  // Transitions far outside any supported instant cannot change an answer; dropping them keeps
  // all offset arithmetic far from int64 overflow whatever the file says.
  std::vector<std::pair<int64_t, int32_t>> changes;  // (instant, offset from then on)
  int32_t initial = type_offset[0];
  for (size_t i = 0; i < times.size(); ++i) {
    if (times[i] < kEarliestTransition) initial = type_offset[type_index[i]];
    else if (times[i] <= kRuleHorizon) changes.emplace_back(times[i], type_offset[type_index[i]]);
  }

  if (time_size == 8) {  // footer: "\n<POSIX TZ>\n", rules for instants after the last transition
    std::string_view rest = r.rest();
    if (rest.size() < 2 || rest[0] != '\n') return malformed("missing footer");
    const size_t nl = rest.find('\n', 1);
    if (nl == std::string_view::npos) return malformed("unterminated footer");
    const std::string_view footer = rest.substr(1, nl - 1);
    if (!footer.empty()) {
      auto posix = PosixParser(footer).parse();
      if (!posix) return malformed("cannot parse footer \"" + std::string(footer) + "\"");
      const bool explicit_times = !changes.empty();
      const int64_t last = explicit_times ? changes.back().first : kEarliestTransition;
      if (!times.empty() && times.back() > kRuleHorizon) {
        // The explicit transitions already cover every supported instant.
      } else if (!posix->has_dst) {
        if (!explicit_times) initial = posix->std_offset;
        else if (changes.back().second != posix->std_offset) changes.emplace_back(last + 1, posix->std_offset);
      } else {
        std::vector<std::pair<int64_t, int32_t>> rule;
        const int32_t first_year = std::max(explicit_times ? year_of(last) - 1 : 1900, 1900);
        for (int32_t y = first_year; y <= 2201; ++y) {
          const int64_t start = int64_t{rule_day(posix->start, y)} * kSecondsPerDay + posix->start.time - posix->std_offset;
          const int64_t end = int64_t{rule_day(posix->end, y)} * kSecondsPerDay + posix->end.time - posix->dst_offset;
          rule.emplace_back(start, posix->dst_offset);
          rule.emplace_back(end, posix->std_offset);
        }
        std::stable_sort(rule.begin(), rule.end(), [](auto& a, auto& b) { return a.first < b.first; });
        for (size_t i = 0; i < rule.size(); ++i) {
          if (rule[i].first <= last || rule[i].first > kRuleHorizon) continue;
          if (i + 1 < rule.size() && rule[i + 1].first == rule[i].first) continue;  // the later event wins
          if (!explicit_times && changes.empty()) initial = posix->std_offset;
          changes.push_back(rule[i]);
        }
      }
    }
  }

  TimeZone tz;
  tz.offsets_ = {initial};
  for (const auto& [at, offset] : changes) {
    if (offset == tz.offsets_.back()) continue;  // e.g. an abbreviation change only
    tz.transitions_.push_back(at);
    tz.offsets_.push_back(offset);
  }
  return tz;
}

Result<TimeZone> TimeZone::load(std::string_view name) {
  int32_t fixed_offset = 0;
  if (parse_fixed_offset(name, fixed_offset)) return fixed(fixed_offset);
  if (name == "UTC" || name == "Etc/UTC") return fixed(0);

  const auto invalid = [&](const char* why) {
    return Status::invalid_argument("invalid time zone \"" + std::string(name) + "\": " + why);
  };
  if (name.empty()) return invalid("empty name");
  if (name.front() == '+' || name.front() == '-') return invalid("a fixed offset is written +HH:MM, e.g. +08:00");
  if (name.size() > 255) return invalid("name too long");
  if (name.front() == '/' || name.find("..") != std::string_view::npos)
    return invalid("expected an IANA name such as Asia/Shanghai or an offset such as +08:00");
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '_' || c == '-' || c == '+';
    if (!ok) return invalid("expected an IANA name such as Asia/Shanghai or an offset such as +08:00");
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
  auto bytes = read_file(path, size_t{1} << 22);
  if (!bytes.ok()) {
    const std::string zoneinfo(dir && *dir ? dir : "/usr/share/zoneinfo");
    struct stat st {};
    if (::stat(zoneinfo.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return Status::io_error("the time zone database " + zoneinfo + " is missing: install tzdata (Debian: apt-get install tzdata) "
                              "or point TZDIR at a zoneinfo directory");
    if (bytes.status().code() == StatusCode::not_found)
      return Status::not_found("unknown time zone \"" + std::string(name) + "\" (" + bytes.status().message() + ")");
    return Status::io_error("time zone \"" + std::string(name) + "\": " + bytes.status().message());
  }
  auto tz = from_tzif(*bytes);
  if (!tz.ok())
    return Status::io_error("time zone \"" + std::string(name) + "\": " + tz.status().message());
  return tz;
}

int32_t TimeZone::offset_at(int64_t utc) const {
  const size_t i = static_cast<size_t>(std::upper_bound(transitions_.begin(), transitions_.end(), utc) -
                                       transitions_.begin());
  return offsets_[i];
}

// Regime k covers UTC [transitions_[k-1], transitions_[k]) with offsets_[k]; its local times start at
// transitions_[k-1] + offsets_[k]. Returns the last regime whose local start is <= local.
size_t TimeZone::regime_of_local(int64_t local, size_t hint) const {
  const auto local_start = [&](size_t k) { return transitions_[k - 1] + offsets_[k]; };
  const size_t n = transitions_.size();
  if (hint > n || (hint > 0 && local_start(hint) > local)) hint = 0;
  size_t k = hint;
  // Ascending callers move forward a few regimes at most; otherwise fall back to bisection.
  for (int steps = 0; steps < 4 && k < n && local_start(k + 1) <= local; ++steps) ++k;
  if (k < n && local_start(k + 1) <= local) {
    size_t lo = k + 1, hi = n;  // answer in [lo, hi]
    while (lo < hi) {
      const size_t mid = lo + (hi - lo + 1) / 2;
      if (local_start(mid) <= local) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
  }
  return k;
}

int64_t TimeZone::to_utc(int64_t local, size_t& hint) const {
  const size_t k = regime_of_local(local, hint);
  hint = k;
  // Fall-back overlap: the same local time also exists at the end of the previous regime; take it.
  if (k > 0 && local - offsets_[k - 1] < transitions_[k - 1]) return local - offsets_[k - 1];
  const int64_t utc = local - offsets_[k];
  // Spring-forward gap: the local time does not exist; the first instant after the gap is the transition.
  if (k < transitions_.size() && utc >= transitions_[k]) return transitions_[k];
  return utc;
}

}  // namespace crm::detail

// SPDX-License-Identifier: Apache-2.0
// The store's import (store_api.hpp): NDJSON of demands and events, one transaction per batch of lines.
#include "store/store_api.hpp"
#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/json_writer.hpp"
#include "crmpolicy/database.hpp"
#include "store/ledger_writer.hpp"

namespace crm {

namespace {

using nlohmann::json;

struct ImportOptions {
  int64_t batch_size = 10000;
  bool skip_invalid = false;
  bool duplicates = false;
};

Result<ImportOptions> parse_options(std::string_view text) {
  auto parsed = detail::parse_json_strict(text, "import options");
  if (!parsed.ok()) return std::move(parsed).status();
  if (!parsed->is_object()) return detail::json_error("", "import options are a JSON object", *parsed);
  ImportOptions o;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "batch_size") {
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 10000000)
        return detail::json_error("/batch_size", "expected a whole number of lines from 1 to 10000000", value);
      o.batch_size = value.get<int64_t>();
    } else if (key == "skip_invalid" || key == "duplicates") {
      if (!value.is_boolean()) return detail::json_error("/" + key, "expected true or false", value);
      (key == "skip_invalid" ? o.skip_invalid : o.duplicates) = value.get<bool>();
    } else {
      return detail::json_error("/" + detail::json_pointer_token(key),
                                "unknown key (expected batch_size, skip_invalid or duplicates)", value);
    }
  }
  return o;
}

struct Rejected {
  int64_t line;
  Status status;
};

// A line read ahead, parsed once: a plain demand straight into its struct, anything else (an
// event, a line in error) as a DOM.
struct Line {
  int64_t number;
  std::string text;
  Result<json> root;
  std::optional<Demand> demand;
  detail::DemandExtras extras;
  std::optional<detail::Event> event;  // an event naming its demand
};

// Lines are read and parsed in chunks, so that one query tells which of their demand ids are new;
// a chunk as large as the default batch, so that the query (which waits for the rows appended
// before it, store/engine.hpp) comes once a batch.
constexpr int64_t kChunkLines = 10000;

// One line: a demand, or an event (it has "type") naming its demand in "demand".
Status import_line(detail::LedgerWriter& writer, Line& l, bool duplicates, int64_t& demands, int64_t& events) {
  if (l.demand) {
    auto recorded = writer.record(std::move(*l.demand), std::move(l.extras), l.text, duplicates);
    if (!recorded.ok()) return std::move(recorded).status();
    if (!recorded->retry) ++demands;
    return {};
  }
  if (l.event) {
    const std::string id = l.event->demand;
    bool retry = false;
    if (Status s = writer.append(id, std::move(*l.event), &retry); !s.ok()) return s;
    if (!retry) ++events;
    return {};
  }
  if (!l.root.ok()) return l.root.status();
  json& root = *l.root;
  if (root.is_object() && root.contains("type")) {
    auto event = detail::event_from_json(root);
    if (!event.ok()) return std::move(event).status();
    if (event->demand.empty()) return detail::json_error("/demand", "missing: an event line names its demand's id", root);
    const std::string id = event->demand;
    bool retry = false;
    if (Status s = writer.append(id, std::move(*event), &retry); !s.ok()) return s;
    if (!retry) ++events;
    return {};
  }
  auto recorded = writer.record(root, l.text, duplicates);
  if (!recorded.ok()) return std::move(recorded).status();
  if (!recorded->retry) ++demands;
  return {};
}

// The ids the chunk's demand lines name.
std::vector<std::string_view> demand_ids(const std::vector<Line>& chunk) {
  std::vector<std::string_view> ids;
  for (const Line& l : chunk) {
    if (l.demand) {
      ids.push_back(l.demand->id);
      continue;
    }
    if (l.event) continue;
    if (!l.root.ok() || !l.root->is_object() || l.root->contains("type")) continue;
    const auto id = l.root->find("id");
    if (id != l.root->end() && id->is_string()) ids.push_back(id->get_ref<const std::string&>());
  }
  return ids;
}

// Where an import's items come from, in order, numbered from 1.
class Source {
 public:
  virtual ~Source() = default;
  virtual bool next(Line& out) = 0;  // false after the last
  virtual Status failure() const { return {}; }
  virtual const char* unit() const = 0;  // how the report names an item: line, record
  virtual int64_t consumed() const = 0;   // items (lines, blank ones too) read so far
};

// NDJSON lines; blank lines are allowed (and counted).
class NdjsonSource final : public Source {
 public:
  explicit NdjsonSource(std::ifstream& in, const std::string& path) : in_(in), path_(path), block_(size_t{1} << 20) {}
  bool next(Line& l) override {
    while (next_line()) {
      ++number_;
      if (line_.find_first_not_of(" \t") == std::string::npos) continue;
      l = Line{number_, std::move(line_), json(), std::nullopt, {}, std::nullopt};
      // Read the direct way when the line is plain; anything else (an error too) through the DOM.
      l.demand = detail::LedgerWriter::read_recordable_demand(l.text, l.extras);
      if (!l.demand) l.event = detail::read_event_directly(l.text);
      if (l.event && l.event->demand.empty()) l.event.reset();
      if (!l.demand && !l.event) l.root = detail::parse_json_strict(l.text, "NDJSON line");
      return true;
    }
    return false;
  }
  Status failure() const override {
    return in_.bad() ? Status::io_error("reading \"" + path_ + "\" failed") : Status();
  }
  const char* unit() const override { return "line"; }
  int64_t consumed() const override { return number_; }

 private:
  // The next line into line_, without "\n" or "\r\n"; false at the end of the file. The file is
  // read in blocks (std::getline's stream calls were a fifth of reading a line).
  bool next_line() {
    line_.clear();
    for (;;) {
      const char* from = block_.data() + at_;
      const auto left = static_cast<size_t>(filled_ - at_);
      if (const auto* nl = static_cast<const char*>(std::memchr(from, '\n', left))) {
        line_.append(from, static_cast<size_t>(nl - from));
        at_ += nl - from + 1;
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
        return true;
      }
      line_.append(from, left);
      at_ = filled_ = 0;
      if (!in_) break;
      in_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
      filled_ = in_.gcount();
      if (filled_ == 0) break;
    }
    // The end of the file: the last line may lack its "\n".
    const bool last = !line_.empty();
    if (last && line_.back() == '\r') line_.pop_back();
    return last;
  }

  std::ifstream& in_;
  const std::string& path_;
  std::vector<char> block_;
  std::streamsize at_ = 0, filled_ = 0;  // block_[at_, filled_) is read and not yet consumed
  std::string line_;
  int64_t number_ = 0;
};

// Typed records: each demand, then its events; then the loose events.
class RecordSource final : public Source {
 public:
  RecordSource(const std::vector<DemandRecord>& demands, const std::vector<EventRecord>& events)
      : demands_(demands), events_(events) {}
  bool next(Line& l) override {
    const EventRecord* event = nullptr;
    const DemandRecord* demand = nullptr;
    while (demand_ < demands_.size() && !event && !demand) {
      const DemandRecord& d = demands_[demand_];
      if (!started_) {
        started_ = true, demand = &d;
      } else if (own_ < d.events.size()) {
        event = &d.events[own_++];
      } else {
        ++demand_, own_ = 0, started_ = false;
      }
    }
    if (!demand && !event) {
      if (loose_ >= events_.size()) return false;
      event = &events_[loose_++];
    }
    l = Line{++number_, std::string(), json(), std::nullopt, {}, std::nullopt};
    if (demand) {
      auto read = detail::demand_from_record(*demand, l.extras, l.text);
      if (read.ok() && read->id.empty()) read = Status::invalid_argument("/id: missing: a recorded demand needs an id");
      if (read.ok()) l.demand = std::move(*read);
      else l.root = std::move(read).status();
      return true;
    }
    auto read = detail::event_from_record(*event);
    if (read.ok() && own_ > 0) {  // one of a demand's own events
      const std::string& id = demands_[demand_].id;
      if (read->demand.empty()) read->demand = id;
      else if (read->demand != id)
        read = Status::invalid_argument("/demand: an event of demand \"" + id + "\" names demand \"" + read->demand + "\"");
    }
    if (read.ok() && read->demand.empty()) read = Status::invalid_argument("/demand: missing: an event names its demand's id");
    if (read.ok()) l.event = std::move(*read);
    else l.root = std::move(read).status();
    return true;
  }
  const char* unit() const override { return "record"; }
  int64_t consumed() const override { return number_; }

 private:
  const std::vector<DemandRecord>& demands_;
  const std::vector<EventRecord>& events_;
  size_t demand_ = 0, own_ = 0, loose_ = 0;
  bool started_ = false;
  int64_t number_ = 0;
};

Result<std::string> run_import(detail::DatabaseImpl& d, const ImportOptions& options, Source& source, Status* failure) {

  int64_t line_number = 0, committed_lines = 0, demands = 0, events = 0, batches = 0;
  int64_t batch_demands = 0, batch_events = 0;
  std::vector<Rejected> rejected;
  Status batch_failure;
  int64_t failed_from = 0;
  bool more = true;
  std::vector<Line> chunk;  // kept across batches: its memory is faulted in once, not once a batch
  chunk.reserve(static_cast<size_t>(std::min(kChunkLines, options.batch_size)));
  // The next `wanted` items into chunk; more = false at the end of the input.
  const auto read_chunk = [&](int64_t wanted) {
    chunk.clear();
    while (static_cast<int64_t>(chunk.size()) < wanted) {
      Line l{0, std::string(), json(), std::nullopt, {}, std::nullopt};
      const bool read = source.next(l);
      line_number = source.consumed();
      if (!read) {
        more = false;
        break;
      }
      chunk.push_back(std::move(l));
    }
  };
  bool prefetched = false;  // chunk holds the batch's first lines, read while the last batch committed
  int64_t first = 1;        // the batch's first line
  while ((more || prefetched) && batch_failure.ok()) {
    detail::Transaction tx(d);
    if (Status s = tx.begin(); !s.ok()) return s;
    detail::LedgerWriter writer(d);
    int64_t in_batch = 0, skipped_in_batch = 0;
    batch_demands = batch_events = 0;
    while (in_batch < options.batch_size && batch_failure.ok()) {
      if (!prefetched) read_chunk(std::min(kChunkLines, options.batch_size - in_batch));
      prefetched = false;
      if (Status s = writer.expect(demand_ids(chunk)); !s.ok()) return s;
      for (Line& l : chunk) {
        ++in_batch;
        if (options.skip_invalid) {
          // A savepoint per line, so a line that fails half-way leaves nothing behind.
          if (Status s = d.exec("SAVEPOINT line", "starting a line"); !s.ok()) return s;
          Status s = import_line(writer, l, options.duplicates, batch_demands, batch_events);
          if (s.ok()) s = writer.flush();
          if (s.ok() && !d.engine_->flush()) s = d.error("writing line " + std::to_string(l.number));
          if (!s.ok()) {
            if (s.code() == StatusCode::io_error) return s;
            if (Status r = d.exec("ROLLBACK TO line", "rolling back a line"); !r.ok()) return r;
            writer.clear();
            rejected.push_back({l.number, std::move(s)});
            ++skipped_in_batch;
          }
          if (Status r = d.exec("RELEASE line", "releasing a line"); !r.ok()) return r;
        } else if (Status s = import_line(writer, l, options.duplicates, batch_demands, batch_events); !s.ok()) {
          rejected.push_back({l.number, std::move(s)});
          batch_failure = rejected.back().status;
          failed_from = first;
          line_number = l.number;  // the lines after it are not read, as far as the report goes
          break;
        }
      }
      if (!more) break;
    }
    if (!batch_failure.ok()) break;  // the transaction rolls back as tx leaves scope
    if (Status s = writer.flush(); !s.ok()) return s;
    if (Status s = tx.start_commit(); !s.ok()) return s;
    // While the batch commits, the writer lets go of its demands (freeing them is the caller's
    // longest wait otherwise) and the next batch's first lines are read and parsed.
    writer.clear();
    const int64_t next_first = line_number + 1;
    if (more) {
      read_chunk(std::min(kChunkLines, options.batch_size));
      prefetched = !chunk.empty();
    }
    if (Status s = d.finish_commit(); !s.ok()) return s;
    if (in_batch > 0) ++batches;
    committed_lines += in_batch - skipped_in_batch;
    demands += batch_demands;
    events += batch_events;
    first = next_first;
  }
  if (batch_failure.ok())
    if (Status s = source.failure(); !s.ok()) return s;
  const std::string unit = source.unit();

  std::string out;
  detail::JsonWriter w(out);
  w.begin_object().key(unit + "s").value(line_number).key("committed_" + unit + "s").value(committed_lines);
  w.key("demands").value(demands).key("events").value(events).key("batches").value(batches);
  w.key("failed_batch");
  if (batch_failure.ok()) w.null();
  else w.begin_object().key("first_" + unit).value(failed_from).key("last_" + unit).value(line_number).end_object();
  w.key("rejected").begin_array();
  for (const Rejected& r : rejected)
    w.begin_object().key(unit).value(r.line).key("code").value(status_code_name(r.status.code()))
        .key("error").value(r.status.message()).end_object();
  w.end_array().end_object();
  if (failure) *failure = batch_failure;
  return out;
}

}  // namespace

Result<std::string> detail::api::import(detail::DatabaseImpl& impl, const std::string& path, std::string_view options_json, Status* failure) {
  auto options = parse_options(options_json);
  if (!options.ok()) return std::move(options).status();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found("cannot open \"" + path + "\" for reading");
  NdjsonSource source(in, path);
  return run_import(impl, *options, source, failure);
}

Result<std::string> detail::api::import_records(detail::DatabaseImpl& impl, const std::vector<DemandRecord>& demands,
                                                const std::vector<EventRecord>& events, std::string_view options_json,
                                                Status* failure) {
  auto options = parse_options(options_json);
  if (!options.ok()) return std::move(options).status();
  RecordSource source(demands, events);
  return run_import(impl, *options, source, failure);
}

}  // namespace crm

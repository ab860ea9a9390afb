// SPDX-License-Identifier: Apache-2.0
#include "store/snapshot.hpp"

#include <boost/archive/archive_exception.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/serialization/binary_object.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/version.hpp>
#include <cstdio>
#include <sstream>

BOOST_CLASS_VERSION(crm::detail::Snapshot, 2)
BOOST_CLASS_VERSION(crm::detail::SnapshotPolicy, 1)
BOOST_CLASS_VERSION(crm::detail::SnapshotDemand, 3)
BOOST_CLASS_VERSION(crm::detail::SnapshotEvent, 2)
BOOST_CLASS_VERSION(crm::detail::SnapshotTable, 1)
BOOST_CLASS_VERSION(crm::detail::SnapshotValue, 1)

namespace crm::detail {

namespace {

constexpr std::string_view kMagic = "crmpolicy-snapshot 1\n";

// While loading: no count or length may exceed the payload's size (every item takes at least
// one byte of it), so a hostile archive cannot make us allocate more than it is long.
thread_local size_t g_load_limit = 0;

void check_count(size_t n) {
  if (n > g_load_limit) throw boost::archive::archive_exception(boost::archive::archive_exception::input_stream_error);
}


// Strings travel as a length and a binary object: the length is checked before any allocation.
struct Text {
  std::string& s;
  template <class Archive>
  void save(Archive& ar, unsigned) const {
    const uint64_t n = s.size();
    ar << n;
    if (n) ar << boost::serialization::make_binary_object(s.data(), s.size());
  }
  template <class Archive>
  void load(Archive& ar, unsigned) {
    uint64_t n = 0;
    ar >> n;
    check_count(static_cast<size_t>(n));
    s.resize(static_cast<size_t>(n));
    if (n) ar >> boost::serialization::make_binary_object(s.data(), s.size());
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

template <class Archive, class T>
void sequence(Archive& ar, std::vector<T>& items) {
  uint64_t n = items.size();
  ar & n;
  if constexpr (Archive::is_loading::value) {
    check_count(static_cast<size_t>(n));
    items.resize(static_cast<size_t>(n));
  }
  for (T& item : items) ar & item;
}

}  // namespace

// Class versions: a field added later is read only when version >= the version that added it,
// so archives written today keep loading.
template <class Archive>
void serialize(Archive& ar, SnapshotPolicy& p, unsigned) {
  Text name{p.name}, version{p.version}, document{p.document}, calendar_data{p.calendar_data};
  ar & name & version & document & calendar_data;
}

template <class Archive>
void serialize(Archive& ar, SnapshotEvent& e, unsigned version) {
  Text actor{e.actor}, payload{e.payload};
  ar & e.n & e.type & e.at & actor & payload;
  if (version >= 2) {
    Text ref{e.ref};
    ar & ref;
  }
}

template <class Archive>
void serialize(Archive& ar, SnapshotDemand& d, unsigned version) {
  Text id{d.id}, policy_name{d.policy_name}, policy_version{d.policy_version}, actor{d.actor}, document{d.document};
  ar & id & policy_name & policy_version & actor & document;
  sequence(ar, d.events);
  if (version >= 2) {
    Text tier{d.customer_tier};
    ar & d.customer_pinned & d.customer_spend & tier & d.customer_key;
  }
  if (version >= 3) {
    Text owner{d.customer_owner};
    ar & owner;
  }
}

template <class Archive>
void serialize(Archive& ar, SnapshotValue& v, unsigned) {
  ar & v.type;
  if (v.type == SnapshotValue::integer) ar & v.integer_value;
  if (v.type == SnapshotValue::text || v.type == SnapshotValue::blob) {
    Text text{v.text_value};
    ar & text;
  }
}

template <class Archive>
void serialize(Archive& ar, SnapshotTable& t, unsigned) {
  Text name{t.name};
  ar & name;
  uint64_t width = t.columns.size();
  ar & width;
  if constexpr (Archive::is_loading::value) {
    check_count(static_cast<size_t>(width));
    t.columns.resize(static_cast<size_t>(width));
  }
  for (std::string& c : t.columns) {
    Text column{c};
    ar & column;
  }
  ar & t.rows;
  if constexpr (Archive::is_loading::value) {
    // rows x width cells, each at least one byte of the payload: bounded before allocating.
    // A table without columns has no rows: each row must cost payload bytes, so that what loads
    // writes back to an archive that loads again.
    if (width == 0 && t.rows != 0) check_count(g_load_limit + 1);
    check_count(static_cast<size_t>(t.rows));
    if (width && t.rows > g_load_limit / width) check_count(g_load_limit + 1);
    t.cells.resize(static_cast<size_t>(t.rows * width));
  }
  for (SnapshotValue& v : t.cells) ar & v;
}

template <class Archive>
void serialize(Archive& ar, Snapshot& s, unsigned version) {
  sequence(ar, s.policies);
  sequence(ar, s.demands);
  if (version >= 2) sequence(ar, s.tables);
}

uint64_t snapshot_checksum(std::string_view payload) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : payload) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return h;
}

std::string frame_snapshot(std::string_view payload) {
  char header[64];
  std::snprintf(header, sizeof header, "%zu %016llx\n", payload.size(),
                static_cast<unsigned long long>(snapshot_checksum(payload)));
  return std::string(kMagic) + header + std::string(payload);
}

std::string write_snapshot(const Snapshot& snapshot) {
  std::ostringstream payload;
  {
    boost::archive::text_oarchive ar(payload);
    ar << snapshot;
  }
  return frame_snapshot(payload.str());
}

Result<Snapshot> read_snapshot(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic)
    return Status::invalid_argument("not a crmpolicy snapshot (it does not start with \"crmpolicy-snapshot 1\")");
  const size_t end = bytes.find('\n', kMagic.size());
  if (end == std::string_view::npos || end - kMagic.size() > 40)
    return Status::invalid_argument("snapshot header is damaged");
  const std::string header(bytes.substr(kMagic.size(), end - kMagic.size()));
  unsigned long long length = 0, checksum = 0;
  char extra = 0;
  if (std::sscanf(header.c_str(), "%llu %16llx%c", &length, &checksum, &extra) != 2)
    return Status::invalid_argument("snapshot header is damaged");
  const std::string_view body = bytes.substr(end + 1);
  if (body.size() != length)
    return Status::invalid_argument("snapshot is " + std::string(body.size() < length ? "truncated" : "longer than recorded") +
                                    ": " + std::to_string(body.size()) + " of " + std::to_string(length) + " payload bytes");
  if (snapshot_checksum(body) != checksum) return Status::invalid_argument("snapshot is corrupted: its checksum does not match");
  // Boost reads its own signature with an unchecked length: check it here first.
  constexpr std::string_view kSignature = "22 serialization::archive ";
  if (body.substr(0, kSignature.size()) != kSignature)
    return Status::invalid_argument("snapshot payload is not a Boost.Serialization text archive");
  Snapshot snapshot;
  try {
    g_load_limit = body.size();
    std::istringstream in{std::string(body)};
    boost::archive::text_iarchive ar(in);
    ar >> snapshot;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return Status::invalid_argument(std::string("snapshot payload cannot be read: ") + e.what());
  }
  return snapshot;
}

}  // namespace crm::detail


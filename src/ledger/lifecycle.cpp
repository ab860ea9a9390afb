// SPDX-License-Identifier: Apache-2.0
#include "ledger/lifecycle.hpp"

#include <string>

namespace crm::detail {

namespace {

Status refuse(const Event& e, DemandState state, const char* why) {
  return Status::invalid_state(std::string("a ") + event_type_name(e.type) + " event cannot follow while the demand is " +
                               demand_state_name(state) + ": " + why);
}

}  // namespace

const char* demand_state_name(DemandState state) {
  switch (state) {
    case DemandState::open: return "open";
    case DemandState::in_progress: return "in_progress";
    case DemandState::paused: return "paused";
    case DemandState::resolved: return "resolved";
    case DemandState::closed: return "closed";
    case DemandState::merged: return "merged";
  }
  return "?";
}

Status advance_state(DemandState& state, const Event& e) {
  if (e.type == EventType::calendar_updated) return {};  // the library's, in any state
  if (state == DemandState::merged)
    return refuse(e, state, "a merged demand is closed for good; record further steps on the demand it was merged into");
  if (state == DemandState::closed && e.type != EventType::reopened)
    return refuse(e, state, "only a reopened event can follow closed");
  switch (e.type) {
    case EventType::received: return refuse(e, state, "a demand is received once, when it is recorded");
    case EventType::acknowledged:
    case EventType::assessed:
    case EventType::plan_sent:
    case EventType::started:
      if (state == DemandState::paused) return refuse(e, state, "record resumed first");
      if (state == DemandState::resolved) return refuse(e, state, "record reopened first");
      state = DemandState::in_progress;
      return {};
    case EventType::paused:
      if (state == DemandState::paused) return refuse(e, state, "it is already paused");
      if (state == DemandState::resolved) return refuse(e, state, "a resolved demand has no running clock to pause");
      state = DemandState::paused;
      return {};
    case EventType::resumed:
      if (state != DemandState::paused) return refuse(e, state, "resumed needs an earlier paused");
      state = DemandState::in_progress;
      return {};
    case EventType::resolved:
      if (state == DemandState::paused) return refuse(e, state, "record resumed first");
      if (state == DemandState::resolved) return refuse(e, state, "it is already resolved");
      state = DemandState::resolved;
      return {};
    case EventType::feedback:
      if (state != DemandState::resolved) return refuse(e, state, "feedback follows resolved");
      return {};
    case EventType::closed:
      if (state != DemandState::resolved && e.reason.empty())
        return refuse(e, state, "closing a demand that is not resolved needs a reason");
      state = DemandState::closed;
      return {};
    case EventType::reopened:
      if (state != DemandState::resolved && state != DemandState::closed)
        return refuse(e, state, "only a resolved or closed demand can be reopened");
      state = DemandState::in_progress;
      return {};
    case EventType::merged_into:
      state = DemandState::merged;
      return {};
    case EventType::progress:
      if (!is_open(state)) return refuse(e, state, "progress is told while a demand is open");
      return {};
    case EventType::reassigned:
    case EventType::reclassified:
    case EventType::note:
    case EventType::calendar_updated:
      return {};
  }
  return Status::internal("unknown event type");
}

}  // namespace crm::detail

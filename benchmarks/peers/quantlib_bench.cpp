// SPDX-License-Identifier: Apache-2.0
// QuantLib's calendar on the peer inputs (benchmark/peer_inputs.hpp): China::IB, the interbank
// calendar, which like ours counts the make-up working weekends. Only dates: QuantLib has no
// working hours, so this is the peer of crm_calendar_add_working_days alone.
#include <benchmark/benchmark.h>
#include <ql/time/calendars/china.hpp>

#include "peer_inputs.hpp"

namespace {

void BM_QuantLib_ChinaIbAdvanceBusinessDays(benchmark::State& state) {
  const QuantLib::Calendar cal = QuantLib::China(QuantLib::China::IB);
  const crm::bench::PeerInputs& in = crm::bench::peer_inputs();
  std::vector<QuantLib::Date> dates;
  for (int64_t t : in.starts)  // the start's date in Beijing time (UTC+8); serial 25569 = 1970-01-01
    dates.emplace_back(static_cast<QuantLib::Date::serial_type>(25569 + (t + 8 * 3600) / 86400));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.advance(dates[i], in.days[i], QuantLib::Days));
    i = (i + 1) & (crm::bench::kPeerInputs - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QuantLib_ChinaIbAdvanceBusinessDays);

}  // namespace

#include "measure/carbon.h"

#include <cmath>

#include "greenbench/error.h"

namespace greenbench {
namespace {

void require_non_negative(double value, const std::string& what) {
  if (!std::isfinite(value) || value < 0)
    throw Error(what + " must be a non-negative number, got " + std::to_string(value));
}

double number_field(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number())
    throw Error("energy record " + where + ": expected a number in \"" + key + "\", found " +
                (it == object.end() ? "nothing" : it->dump()));
  return it->get<double>();
}

}  // namespace

nlohmann::json CarbonFactors::to_json() const {
  return {{"grid_g_co2e_per_kwh", grid_g_co2e_per_kwh},
          {"grid_source", grid_source},
          {"price_per_kwh", price_per_kwh},
          {"currency", currency},
          {"price_source", price_source}};
}

Footprint footprint(double joules, const CarbonFactors& factors) {
  require_non_negative(joules, "energy in joules");
  require_non_negative(factors.grid_g_co2e_per_kwh, "grid intensity (g CO2e/kWh)");
  require_non_negative(factors.price_per_kwh, "electricity price per kWh");
  Footprint result;
  result.joules = joules;
  result.kwh = joules_to_kwh(joules);
  result.kg_co2e = result.kwh * factors.grid_g_co2e_per_kwh / 1000.0;
  result.cost = result.kwh * factors.price_per_kwh;
  return result;
}

RecordEnergy energy_of_record(const nlohmann::json& record) {
  if (!record.is_object()) throw Error("energy record: expected a JSON object, found " + record.dump());
  const auto measured = record.find("measured");
  if (measured == record.end() || !measured->is_boolean())
    throw Error("energy record: expected \"measured\": true or false, found " + record.dump());
  if (measured->get<bool>()) return {number_field(record, "joules", "measured"), true};
  const auto estimate = record.find("estimate");
  if (estimate == record.end() || !estimate->is_object())
    throw Error("energy record: not measured and no \"estimate\" either: " + record.dump());
  return {number_field(*estimate, "joules", "estimate"), false};
}

nlohmann::json phase_footprint(const nlohmann::json& records, const CarbonFactors& factors) {
  if (records.is_null() || (records.is_array() && records.empty()))
    return {{"reported", false}, {"reason", "no energy record for this phase"}};
  const nlohmann::json runs = records.is_array() ? records : nlohmann::json::array({records});
  double joules = 0;
  size_t estimated = 0;
  for (const nlohmann::json& run : runs) {
    const RecordEnergy energy = energy_of_record(run);
    joules += energy.joules;
    if (!energy.measured) ++estimated;
  }
  const Footprint total = footprint(joules, factors);
  std::string basis = "measured";
  if (estimated == runs.size()) {
    basis = "estimate";
  } else if (estimated > 0) {
    basis = "partly estimated (" + std::to_string(estimated) + " of " + std::to_string(runs.size()) + " runs)";
  }
  return {{"reported", true},    {"runs", runs.size()},      {"joules", total.joules},
          {"kwh", total.kwh},    {"kg_co2e", total.kg_co2e}, {"cost", total.cost},
          {"currency", factors.currency}, {"basis", basis}};
}

nlohmann::json green_ai_report(const nlohmann::json& training, const nlohmann::json& model_selection,
                               const nlohmann::json& inference, const CarbonFactors& factors) {
  return {{"training", phase_footprint(training, factors)},
          {"model_selection", phase_footprint(model_selection, factors)},
          {"inference", phase_footprint(inference, factors)},
          {"factors", factors.to_json()}};
}

}  // namespace greenbench

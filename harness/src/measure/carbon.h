// From joules to the figures readers compare: kWh, kg CO2e (kWh x grid
// intensity) and cost (kWh x price), with the factors and their sources in
// the record. Schwartz et al. (Green AI, 2020) ask for training, model
// selection (all trials) and inference to be reported apart, so the phase
// report never adds them up.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace greenbench {

constexpr double kJoulesPerKwh = 3.6e6;

/// World average carbon intensity of electricity generation in 2023: 480.8 g
/// CO2e/kWh (Ember, Yearly Electricity Data 2024, and Energy Institute,
/// Statistical Review of World Energy 2024, via Our World in Data's
/// "carbon-intensity-electricity"). For comparison, the IEA's 2019 figure,
/// used by carbontracker, is 475 g/kWh.
constexpr double kWorldGridGramsCo2ePerKwh2023 = 480.8;

/// Average US retail price of electricity to industrial customers in 2023:
/// 8.06 US cents/kWh (US Energy Information Administration figures, as
/// published by Statista in March 2024). Industrial
/// rather than residential because that is what a machine room pays.
constexpr double kUsIndustrialUsdPerKwh2023 = 0.0806;

/// The conversion factors, each with where it came from.
struct CarbonFactors {
  double grid_g_co2e_per_kwh = kWorldGridGramsCo2ePerKwh2023;
  std::string grid_source = "world average 2023, Ember and Energy Institute via Our World in Data";
  double price_per_kwh = kUsIndustrialUsdPerKwh2023;
  std::string currency = "USD";
  std::string price_source = "US industrial average 2023, EIA";
  nlohmann::json to_json() const;
};

inline double joules_to_kwh(double joules) { return joules / kJoulesPerKwh; }

/// The footprint of an amount of energy.
struct Footprint {
  double joules = 0;
  double kwh = 0;
  double kg_co2e = 0;
  double cost = 0;
};

/// Throws Error for negative or non-finite joules or factors.
Footprint footprint(double joules, const CarbonFactors& factors);

/// The joules of one EnergyMeter::stop() record: its measured joules, or its
/// labelled estimate's. Throws Error when it has neither.
struct RecordEnergy {
  double joules = 0;
  bool measured = false;
};
RecordEnergy energy_of_record(const nlohmann::json& record);

/// One phase: a single energy record, or an array of them (the trials of a
/// model selection), summed. {"runs", "joules", "kwh", "kg_co2e", "cost",
/// "currency", "basis"}; basis is "measured", "estimate" or "partly
/// estimated (k of n runs)". A null or empty phase gives {"reported": false, "reason"}.
nlohmann::json phase_footprint(const nlohmann::json& records, const CarbonFactors& factors);

/// {"training", "model_selection", "inference", "factors"}, each phase apart.
nlohmann::json green_ai_report(const nlohmann::json& training, const nlohmann::json& model_selection,
                               const nlohmann::json& inference, const CarbonFactors& factors = CarbonFactors{});

}  // namespace greenbench

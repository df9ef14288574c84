// kWh, CO2e and cost from joules on known values, and the Green AI report
// that keeps training, model selection and inference apart.
#include <catch2/catch.hpp>

#include "greenbench/error.h"
#include "measure/carbon.h"

using namespace greenbench;

namespace {

nlohmann::json measured(double joules) { return {{"measured", true}, {"source", "powercap sysfs"}, {"joules", joules}}; }

nlohmann::json estimated(double joules) {
  return {{"measured", false}, {"source", nullptr}, {"estimate", {{"label", "estimate, not a measurement"}, {"joules", joules}}}};
}

CarbonFactors round_factors() {
  CarbonFactors factors;
  factors.grid_g_co2e_per_kwh = 400;
  factors.price_per_kwh = 0.25;
  factors.currency = "EUR";
  return factors;
}

}  // namespace

TEST_CASE("carbon: kWh, kg CO2e and cost from joules", "[energy][carbon]") {
  CHECK(joules_to_kwh(3.6e6) == 1.0);
  CHECK(joules_to_kwh(0) == 0);

  const Footprint two_kwh = footprint(7.2e6, round_factors());
  CHECK(two_kwh.joules == 7.2e6);
  CHECK(two_kwh.kwh == 2.0);
  CHECK(two_kwh.kg_co2e == Approx(0.8));  // 2 kWh x 400 g/kWh
  CHECK(two_kwh.cost == Approx(0.5));     // 2 kWh x 0.25 per kWh

  const Footprint defaults = footprint(3.6e6, CarbonFactors{});
  CHECK(defaults.kg_co2e == Approx(0.4808));  // world average 2023, 480.8 g/kWh
  CHECK(defaults.cost == Approx(0.0806));     // US industrial 2023, 8.06 cents/kWh

  CHECK_THROWS_AS(footprint(-1, CarbonFactors{}), Error);
  CarbonFactors negative = round_factors();
  negative.price_per_kwh = -0.1;
  CHECK_THROWS_WITH(footprint(1, negative), Catch::Contains("electricity price per kWh must be a non-negative number"));
}

TEST_CASE("carbon: an energy record gives its measured joules or its estimate's", "[energy][carbon]") {
  CHECK(energy_of_record(measured(12.5)).joules == 12.5);
  CHECK(energy_of_record(measured(12.5)).measured);
  CHECK(energy_of_record(estimated(3)).joules == 3);
  CHECK_FALSE(energy_of_record(estimated(3)).measured);
  CHECK_THROWS_WITH(energy_of_record({{"measured", false}}), Catch::Contains("not measured and no \"estimate\""));
  CHECK_THROWS_WITH(energy_of_record({{"measured", true}}), Catch::Contains("expected a number in \"joules\""));
  CHECK_THROWS_AS(energy_of_record(nlohmann::json::array()), Error);
}

TEST_CASE("carbon: training, model selection (all trials) and inference are reported apart", "[energy][carbon]") {
  const nlohmann::json trials = nlohmann::json::array({measured(1.8e6), estimated(1.8e6), measured(3.6e6)});
  const nlohmann::json report = green_ai_report(measured(3.6e6), trials, nullptr, round_factors());
  INFO(report.dump(2));

  const nlohmann::json& training = report["training"];
  CHECK(training["reported"] == true);
  CHECK(training["runs"] == 1);
  CHECK(training["kwh"] == 1.0);
  CHECK(training["kg_co2e"].get<double>() == Approx(0.4));
  CHECK(training["cost"].get<double>() == Approx(0.25));
  CHECK(training["currency"] == "EUR");
  CHECK(training["basis"] == "measured");

  const nlohmann::json& selection = report["model_selection"];
  CHECK(selection["runs"] == 3);
  CHECK(selection["joules"] == 7.2e6);
  CHECK(selection["kwh"] == 2.0);
  CHECK(selection["kg_co2e"].get<double>() == Approx(0.8));
  CHECK(selection["basis"] == "partly estimated (1 of 3 runs)");

  CHECK(report["inference"] == nlohmann::json({{"reported", false}, {"reason", "no energy record for this phase"}}));
  CHECK(report["factors"]["grid_g_co2e_per_kwh"] == 400.0);
  CHECK(report["factors"]["price_per_kwh"] == 0.25);
  CHECK_FALSE(report.contains("total"));

  const nlohmann::json all_estimated = phase_footprint(nlohmann::json::array({estimated(1), estimated(2)}), round_factors());
  CHECK(all_estimated["basis"] == "estimate");
  CHECK(all_estimated["joules"] == 3.0);
}

// Small self-contained SVG plots for `greenbench report`: a scatter of
// accuracy against a cost (log x) with one curve per method and the Pareto
// frontier, and expected-validation-performance curves with their bands.
// Every label is XML-escaped, so names from records stay text.
#pragma once

#include <string>
#include <vector>

namespace greenbench {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> lower, upper;  ///< a band around y (EVP); empty: none
};

struct Plot {
  std::string title, x_label, y_label;
  bool log_x = false;
  std::vector<PlotSeries> series;
  PlotSeries frontier;  ///< drawn as a dashed step line; empty: none
};

/// The plot as an SVG document (width 720, height 440).
std::string render_svg(const Plot& plot);

/// `text` with & < > " ' escaped for XML.
std::string xml_escape(const std::string& text);

}  // namespace greenbench

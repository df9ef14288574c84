#include "report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace greenbench {
namespace {

constexpr double kWidth = 720, kHeight = 440, kLeft = 70, kRight = 180, kTop = 40, kBottom = 55;
const char* const kColours[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
                                "#e6ab02", "#a6761d", "#666666", "#1f78b4", "#b2df8a"};

std::string fmt(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", x);
  return text;
}

struct Axis {
  double lo, hi;
  bool log;
  double map(double v, double from, double to) const {
    const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi, t = log ? std::log10(v) : v;
    return b > a ? from + (t - a) / (b - a) * (to - from) : (from + to) / 2;
  }
};

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_svg(const Plot& plot) {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  auto extend = [&](const PlotSeries& s) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || (plot.log_x && s.x[i] <= 0)) continue;
      x_lo = std::min(x_lo, s.x[i]), x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.lower.empty() ? s.y[i] : s.lower[i]);
      y_hi = std::max(y_hi, s.upper.empty() ? s.y[i] : s.upper[i]);
    }
  };
  for (const auto& s : plot.series) extend(s);
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << xml_escape(plot.title) << "</text>\n";
  if (!std::isfinite(x_lo)) {
    svg << "<text x=\"" << kWidth / 2 << "\" y=\"" << kHeight / 2 << "\" text-anchor=\"middle\">no data</text>\n</svg>\n";
    return svg.str();
  }
  const double pad = (y_hi - y_lo) * 0.05 + 1e-9;
  const Axis ax{plot.log_x ? x_lo / 1.3 : x_lo - (x_hi - x_lo) * 0.05, plot.log_x ? x_hi * 1.3 : x_hi + (x_hi - x_lo) * 0.05, plot.log_x};
  const Axis ay{y_lo - pad, y_hi + pad, false};
  const double px0 = kLeft, px1 = kWidth - kRight, py0 = kHeight - kBottom, py1 = kTop;
  auto X = [&](double v) { return ax.map(v, px0, px1); };
  auto Y = [&](double v) { return ay.map(v, py0, py1); };
  svg << "<rect x=\"" << px0 << "\" y=\"" << py1 << "\" width=\"" << px1 - px0 << "\" height=\"" << py0 - py1
      << "\" fill=\"none\" stroke=\"#999\"/>\n";
  for (int t = 0; t <= 4; ++t) {  // ticks: 5 on each axis
    const double fx = t / 4.0;
    const double xv = ax.log ? std::pow(10, std::log10(ax.lo) + fx * (std::log10(ax.hi) - std::log10(ax.lo)))
                             : ax.lo + fx * (ax.hi - ax.lo);
    const double yv = ay.lo + fx * (ay.hi - ay.lo);
    svg << "<text x=\"" << X(xv) << "\" y=\"" << py0 + 16 << "\" text-anchor=\"middle\">" << fmt(xv) << "</text>\n"
        << "<text x=\"" << px0 - 6 << "\" y=\"" << Y(yv) + 4 << "\" text-anchor=\"end\">" << fmt(yv) << "</text>\n"
        << "<line x1=\"" << px0 << "\" x2=\"" << px1 << "\" y1=\"" << Y(yv) << "\" y2=\"" << Y(yv) << "\" stroke=\"#eee\"/>\n";
  }
  svg << "<text x=\"" << (px0 + px1) / 2 << "\" y=\"" << kHeight - 15 << "\" text-anchor=\"middle\">"
      << xml_escape(plot.x_label) << "</text>\n<text transform=\"translate(18," << (py0 + py1) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << xml_escape(plot.y_label) << "</text>\n";

  for (size_t k = 0; k < plot.series.size(); ++k) {
    const PlotSeries& s = plot.series[k];
    const std::string colour = kColours[k % (sizeof kColours / sizeof *kColours)];
    std::vector<size_t> order;
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (std::isfinite(s.x[i]) && (!plot.log_x || s.x[i] > 0)) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s.x[a] < s.x[b]; });
    if (!s.lower.empty() && !order.empty()) {
      svg << "<polygon fill=\"" << colour << "\" fill-opacity=\"0.15\" stroke=\"none\" points=\"";
      for (size_t i : order) svg << X(s.x[i]) << "," << Y(s.upper[i]) << " ";
      for (auto it = order.rbegin(); it != order.rend(); ++it) svg << X(s.x[*it]) << "," << Y(s.lower[*it]) << " ";
      svg << "\"/>\n";
    }
    svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
    for (size_t i : order) svg << X(s.x[i]) << "," << Y(s.y[i]) << " ";
    svg << "\"/>\n";
    for (size_t i : order) svg << "<circle cx=\"" << X(s.x[i]) << "\" cy=\"" << Y(s.y[i]) << "\" r=\"3\" fill=\"" << colour << "\"/>\n";
    svg << "<rect x=\"" << px1 + 12 << "\" y=\"" << py1 + 16 * k << "\" width=\"10\" height=\"10\" fill=\"" << colour
        << "\"/><text x=\"" << px1 + 27 << "\" y=\"" << py1 + 16 * k + 9 << "\">" << xml_escape(s.name) << "</text>\n";
  }
  if (!plot.frontier.x.empty()) {
    std::vector<size_t> order(plot.frontier.x.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return plot.frontier.x[a] < plot.frontier.x[b]; });
    svg << "<polyline fill=\"none\" stroke=\"black\" stroke-dasharray=\"4 3\" points=\"";
    double previous_y = 0;
    for (size_t n = 0; n < order.size(); ++n) {
      const size_t i = order[n];
      if (n > 0) svg << X(plot.frontier.x[i]) << "," << Y(previous_y) << " ";  // a step: cost rises first
      svg << X(plot.frontier.x[i]) << "," << Y(plot.frontier.y[i]) << " ";
      previous_y = plot.frontier.y[i];
    }
    svg << "\"/>\n<text x=\"" << px1 + 12 << "\" y=\"" << py1 + 16 * plot.series.size() + 9
        << "\">- - Pareto frontier</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace greenbench

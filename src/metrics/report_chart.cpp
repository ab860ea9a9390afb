// SPDX-License-Identifier: Apache-2.0
#include "metrics/report_chart.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/report_format.hpp"

namespace crm::detail {

namespace {

constexpr double kWidth = 960;  // the viewBox's width; the page scales it to the window

// The next code point of `s` from `i` (advanced past it); U+FFFD for a broken sequence.
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i++);
  if (lead < 0x80) return lead;
  const size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0) return 0xFFFD;
  if (i + extra > s.size()) {  // cut short at the end: one broken glyph
    i = s.size();
    return 0xFFFD;
  }
  uint32_t cp = lead & (0x3F >> extra);
  for (size_t k = 0; k < extra; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += extra;
  return cp;
}

bool wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
}

double glyph_width(uint32_t cp, double font_size) { return (wide(cp) ? 1.0 : 0.6) * font_size; }

std::string n1(double v) { return fixed(std::round(v * 10) / 10, 1); }

std::string text(double x, double y, double size, const char* anchor, std::string_view body,
                 std::string_view extra = "") {
  return "<text x='" + n1(x) + "' y='" + n1(y) + "' font-size='" + n1(size) + "' text-anchor='" + anchor + "'" +
         std::string(extra) + ">" + std::string(body) + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, std::string_view attributes) {
  return "<line x1='" + n1(x1) + "' y1='" + n1(y1) + "' x2='" + n1(x2) + "' y2='" + n1(y2) + "' " +
         std::string(attributes) + "/>";
}

std::string svg_open(double height, std::string_view aria_label) {
  return "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + n1(kWidth) + " " + n1(height) +
         "' role='img' aria-label='" + html_escape(aria_label) + "'>\n";
}

}  // namespace

double text_width(std::string_view utf8, double font_size) {
  double w = 0;
  for (size_t i = 0; i < utf8.size();) w += glyph_width(next_code_point(utf8, i), font_size);
  return w;
}

std::string fit_text(std::string_view utf8, double font_size, double width) {
  if (text_width(utf8, font_size) <= width) return std::string(utf8);
  const double room = width - glyph_width(0x2026, font_size);
  double w = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t next = i;
    w += glyph_width(next_code_point(utf8, next), font_size);
    if (w > room) break;
    i = next;
  }
  return std::string(utf8.substr(0, i)) + "…";
}

const char* series_color(size_t i) {
  static const char* const kColors[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kColors[i % 10];
}

std::string line_chart(const std::vector<std::string>& labels, const std::vector<LineSeries>& series,
                       std::string_view aria_label, const PageWords& words) {
  const size_t n = labels.size();
  // The axis starts at 50% only when every value and goal shown is 50% or more.
  double lo = 0.5;
  for (const LineSeries& s : series) {
    for (const Rate& p : s.points)
      if (p.defined() && p.value() < 0.5) lo = 0;
    if (s.goal && *s.goal < 0.5) lo = 0;
  }
  const double label_font = 10, legend_font = 11;
  double label_w = 0;
  for (const std::string& l : labels) label_w = std::max(label_w, text_width(l, label_font));
  const double left = std::max(48.0, label_w / 2 + 4), right = std::max(16.0, label_w / 2 + 4);
  const double top = 24, plot_h = 200, plot_w = kWidth - left - right;
  const auto x = [&](size_t i) { return n <= 1 ? left + plot_w / 2 : left + static_cast<double>(i) * plot_w / static_cast<double>(n - 1); };
  const auto y = [&](double v) { return top + (1.0 - v) / (1.0 - lo) * plot_h; };

  // The legend, wrapped into rows under the axis labels.
  struct Entry {
    std::string text;
    double x, y;
  };
  std::vector<Entry> legend;
  double lx = left, ly = top + plot_h + 36;
  for (const LineSeries& s : series) {
    std::string t = s.name;
    if (s.goal) t += " (" + fill(words.goal_legend, {percent({static_cast<int64_t>(std::llround(*s.goal * 1000)), 1000})}) + ")";
    const double w = 24 + text_width(t, legend_font);
    if (lx > left && lx + w > kWidth - right) lx = left, ly += 18;
    legend.push_back({std::move(t), lx, ly});
    lx += w + 16;
  }
  const double height = (legend.empty() ? top + plot_h + 24 : ly) + 8;

  std::string out = svg_open(height, aria_label);
  if (lo > 0)
    out += text(left, top - 10, 10, "start", html_escape(words.axis_note), " fill='#666'") + "\n";
  const double grid_step = lo > 0 ? 0.1 : 0.2;
  for (int k = 0; lo + k * grid_step <= 1.0 + 1e-9; ++k) {
    const double v = lo + k * grid_step;
    out += line(left, y(v), left + plot_w, y(v), "stroke='#ddd' class='grid' data-v='" + fixed(v, 1) + "'") +
           text(left - 6, y(v) + 4, 11, "end", std::to_string(static_cast<int>(std::lround(v * 100))) + "%") + "\n";
  }
  // Labels at least their own width (and a gap) apart: every step-th one.
  const double pitch = n <= 1 ? plot_w : plot_w / static_cast<double>(n - 1);
  const size_t step = std::max<size_t>(1, static_cast<size_t>(std::ceil((label_w + 8) / pitch)));
  for (size_t i = 0; i < n; i += step)
    out += text(x(i), top + plot_h + 16, label_font, "middle", html_escape(labels[i]), " class='period'") + "\n";

  for (size_t k = 0; k < series.size(); ++k) {
    const LineSeries& s = series[k];
    if (s.goal)
      out += line(left, y(*s.goal), left + plot_w, y(*s.goal),
                  "stroke='" + s.color + "' stroke-dasharray='6 4' stroke-width='1' class='goal' data-v='" + fixed(*s.goal, 4) + "'") +
             "\n";
    std::string path;
    bool gap = true;  // an empty period breaks the line: the next point starts a new piece
    for (size_t i = 0; i < n && i < s.points.size(); ++i) {
      if (!s.points[i].defined()) {
        gap = true;
        continue;
      }
      const double v = s.points[i].value();
      path += (path.empty() ? "" : " ") + std::string(gap ? "M" : "L") + n1(x(i)) + " " + n1(y(v));
      gap = false;
      out += "<circle cx='" + n1(x(i)) + "' cy='" + n1(y(v)) + "' r='" + (n > 60 ? "1.5" : "3") + "' fill='" + s.color + "' data-v='" + fixed(v, 6) +
             "'><title>" + html_escape(s.name) + " " + html_escape(labels[i]) + ": " + percent(s.points[i]) + "%</title></circle>\n";
    }
    if (!path.empty()) out += "<path d='" + path + "' fill='none' stroke='" + s.color + "' stroke-width='2'/>\n";
    const Entry& e = legend[k];
    out += line(e.x, e.y - 4, e.x + 20, e.y - 4, "stroke='" + s.color + "' stroke-width='2'") +
           text(e.x + 24, e.y, legend_font, "start", html_escape(e.text), " class='legend'") + "\n";
  }
  out += "</svg>\n";
  return out;
}

std::string bar_chart(const std::vector<Bar>& bars, std::optional<double> goal, std::string_view aria_label,
                      const PageWords& words) {
  const double label_font = 12, value_font = 11, bar_h = 20, gap = 6, top = 4;
  double label_w = 0, value_w = 0;
  std::vector<std::string> values;
  for (const Bar& b : bars) {
    label_w = std::max(label_w, text_width(b.label, label_font));
    values.push_back((b.value.defined() ? percent(b.value) + "%" : std::string(words.no_data)) + (b.note.empty() ? "" : " " + b.note));
    value_w = std::max(value_w, text_width(values.back(), value_font));
  }
  const double left = std::min(240.0, label_w) + 16;
  const double plot_w = std::max(200.0, kWidth - left - value_w - 12);
  const double bottom = top + static_cast<double>(bars.size()) * (bar_h + gap);
  std::string out = svg_open(bottom + 22, aria_label);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double yy = top + static_cast<double>(i) * (bar_h + gap);
    const double w = b.value.defined() ? b.value.value() * plot_w : 0;
    const bool missed = goal && b.value.defined() && b.value.value() < *goal;
    const std::string shown = fit_text(b.label, label_font, left - 16);
    // A label cut short keeps its whole text as a tooltip.
    out += text(left - 8, yy + 15, label_font, "end",
                (shown == b.label ? "" : "<title>" + html_escape(b.label) + "</title>") + html_escape(shown)) +
           "<rect x='" + n1(left) + "' y='" + n1(yy) + "' width='" + n1(w) + "' height='" + n1(bar_h) + "' fill='" +
           (missed ? "#d62728" : "#1f77b4") + "' data-v='" + (b.value.defined() ? fixed(b.value.value(), 6) : "") + "'/>" +
           // A white halo keeps the value readable where the goal's dashed line crosses it.
           text(left + w + 6, yy + 15, value_font, "start", html_escape(values[i]),
                " stroke='#fff' stroke-width='3' paint-order='stroke'") + "\n";
  }
  // The 0% and 100% ends of the axis, and the goal between them.
  out += line(left, 0, left, bottom, "stroke='#999' class='axis' data-v='0'") +
         line(left + plot_w, 0, left + plot_w, bottom, "stroke='#eee' class='axis' data-v='1'") + "\n";
  if (goal) {
    const double gx = left + *goal * plot_w;
    out += line(gx, 0, gx, bottom, "stroke='#333' stroke-dasharray='4 3' class='goal' data-v='" + fixed(*goal, 4) + "'") +
           text(gx, bottom + 14, 10, "middle", html_escape(fill(words.goal_mark, {fixed(*goal * 100, 0)}))) + "\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace crm::detail

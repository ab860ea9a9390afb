// SPDX-License-Identifier: Apache-2.0
// The report's charts tell the truth (issue 19 §2): parsed back from their SVG, every point lies
// where the axis says its value is (also below 50%), empty periods are gaps, period labels and
// legends do not overlap at 1, 12, 24, 53 and 366 periods, and nothing leaves the viewBox.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "metrics/report_chart.hpp"

namespace crm::detail {
namespace {

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // a <text>'s own words (a <title> inside it left out), unescaped
  double number(const char* a) const { return std::stod(attributes.at(a)); }
  bool has(const char* a) const { return attributes.count(a) > 0; }
};

std::string unescape(std::string s) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                                 {"&#39;", "'"}, {"&amp;", "&"}})
    for (size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, from.size(), to);
  return s;
}

std::vector<Element> parse(const std::string& svg) {
  std::vector<Element> out;
  static const std::regex tag(R"(<(\w+)((?:\s+[\w-]+='[^']*')*)\s*/?>)"), attribute(R"(([\w-]+)='([^']*)')");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator(); ++it) {
    Element e;
    e.name = (*it)[1];
    const std::string attrs = (*it)[2];
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attribute); a != std::sregex_iterator(); ++a)
      e.attributes[(*a)[1]] = unescape((*a)[2]);
    if (e.name == "text") {
      const size_t from = static_cast<size_t>(it->position() + it->length());
      std::string body = svg.substr(from, svg.find("</text>", from) - from);
      const size_t title = body.find("<title>");
      if (title != std::string::npos) body.erase(title, body.find("</title>") + 8 - title);
      e.text = unescape(body);
    }
    out.push_back(std::move(e));
  }
  return out;
}

struct Box {
  double x0, y0, x1, y1;
  std::string what;
};

Box text_box(const Element& t) {
  const double size = t.number("font-size"), w = text_width(t.text, size), x = t.number("x"), y = t.number("y");
  const std::string anchor = t.attributes.at("text-anchor");
  const double x0 = anchor == "start" ? x : anchor == "middle" ? x - w / 2 : x - w;
  return {x0, y - 0.8 * size, x0 + w, y + 0.2 * size, t.text};
}

// Every element inside the viewBox; no two texts overlapping.
void expect_tidy(const std::string& svg) {
  const std::vector<Element> elements = parse(svg);
  ASSERT_FALSE(elements.empty());
  ASSERT_EQ(elements.front().name, "svg");
  double vx, vy, vw, vh;
  ASSERT_EQ(std::sscanf(elements.front().attributes.at("viewBox").c_str(), "%lf %lf %lf %lf", &vx, &vy, &vw, &vh), 4);
  const auto inside = [&](double x, double y, const std::string& what) {
    EXPECT_TRUE(x >= vx - 0.05 && x <= vx + vw + 0.05 && y >= vy - 0.05 && y <= vy + vh + 0.05)
        << what << " at (" << x << ", " << y << ") outside the viewBox " << vw << "×" << vh;
  };
  std::vector<Box> texts;
  for (const Element& e : elements) {
    if (e.name == "text") {
      texts.push_back(text_box(e));
      inside(texts.back().x0, texts.back().y0, "text \"" + e.text + "\"");
      inside(texts.back().x1, texts.back().y1, "text \"" + e.text + "\"");
    } else if (e.name == "line") {
      inside(e.number("x1"), e.number("y1"), "line");
      inside(e.number("x2"), e.number("y2"), "line");
    } else if (e.name == "circle") {
      const double r = e.number("r");
      inside(e.number("cx") - r, e.number("cy") - r, "point");
      inside(e.number("cx") + r, e.number("cy") + r, "point");
    } else if (e.name == "rect") {
      inside(e.number("x"), e.number("y"), "bar");
      inside(e.number("x") + e.number("width"), e.number("y") + e.number("height"), "bar");
    }
  }
  for (size_t i = 0; i < texts.size(); ++i)
    for (size_t j = i + 1; j < texts.size(); ++j) {
      const Box &a = texts[i], &b = texts[j];
      const bool apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
      EXPECT_TRUE(apart) << "\"" << a.what << "\" overlaps \"" << b.what << "\"";
    }
}

Rate rate(double v) { return {static_cast<int64_t>(std::llround(v * 10000)), 10000}; }

std::vector<std::string> labels(const char* kind, size_t n) {
  std::vector<std::string> out;
  char buf[32];
  for (size_t i = 0; i < n; ++i) {
    if (std::string(kind) == "day") std::snprintf(buf, sizeof buf, "2025-%02zu-%02zu", i / 31 % 12 + 1, i % 31 + 1);
    else if (std::string(kind) == "week") std::snprintf(buf, sizeof buf, "%zu-W%02zu", 2025 + i / 53, i % 53 + 1);
    else std::snprintf(buf, sizeof buf, "%zu-%02zu", 2025 + i / 12, i % 12 + 1);
    out.push_back(buf);
  }
  return out;
}

std::vector<LineSeries> three_series(size_t n, double low) {
  std::vector<LineSeries> s = {{"Timeliness", series_color(0), {}, 0.95},
                               {"Completion", series_color(4), {}, std::nullopt},
                               {"Satisfaction (score ≥ 4)", series_color(2), {}, 0.9}};
  for (size_t i = 0; i < n; ++i) {
    s[0].points.push_back(rate(i % 3 == 0 ? low : 0.97));
    s[1].points.push_back(i % 5 == 2 ? Rate{} : rate(0.5 + 0.5 * static_cast<double>(i % 7) / 6));
    s[2].points.push_back(rate(1.0));
  }
  return s;
}

// The y of a value by the chart's own gridlines (first and last).
struct Axis {
  double v0, y0, v1, y1;
  double y(double v) const { return y0 + (v - v0) / (v1 - v0) * (y1 - y0); }
};

Axis axis_of(const std::vector<Element>& elements) {
  std::vector<const Element*> grid;
  for (const Element& e : elements)
    if (e.attributes.count("class") && e.attributes.at("class") == "grid") grid.push_back(&e);
  EXPECT_GE(grid.size(), 2u);
  if (grid.size() < 2) return {0, 0, 1, 1};
  return {grid.front()->number("data-v"), grid.front()->number("y1"), grid.back()->number("data-v"), grid.back()->number("y1")};
}

TEST(ReportChart, APointBelowFiftyPercentIsDrawnAtItsValueOnAnAxisFromZero) {
  const std::string svg = line_chart(labels("month", 12), three_series(12, 0.296), "trend");
  const std::vector<Element> elements = parse(svg);
  const Axis axis = axis_of(elements);
  EXPECT_EQ(axis.v0, 0.0);
  EXPECT_EQ(axis.v1, 1.0);
  size_t points = 0, low = 0;
  for (const Element& e : elements) {
    if (e.name != "circle") continue;
    ++points;
    const double v = e.number("data-v");
    low += v < 0.3;
    EXPECT_NEAR(e.number("cy"), axis.y(v), 0.11) << "value " << v;
  }
  EXPECT_EQ(points, 12u + 12u - 2u + 12u);  // two completion periods without data
  EXPECT_EQ(low, 4u);
  EXPECT_EQ(svg.find("Axis from 50%"), std::string::npos);
  expect_tidy(svg);
}

TEST(ReportChart, AnAxisFromFiftyPercentOnlyWhenEverythingShownIsThereAndThenMarked) {
  const std::string svg = line_chart(labels("month", 24), three_series(24, 0.62), "trend");
  const std::vector<Element> elements = parse(svg);
  const Axis axis = axis_of(elements);
  EXPECT_EQ(axis.v0, 0.5);
  for (const Element& e : elements) {
    if (e.name == "circle") { EXPECT_NEAR(e.number("cy"), axis.y(e.number("data-v")), 0.11); }
    if (e.attributes.count("class") && e.attributes.at("class") == "goal") { EXPECT_NEAR(e.number("y1"), axis.y(e.number("data-v")), 0.11); }
  }
  EXPECT_NE(svg.find("Axis from 50%"), std::string::npos);
  // A goal under 50% brings the axis down to zero too.
  std::vector<LineSeries> s = three_series(24, 0.62);
  s[1].goal = 0.4;
  EXPECT_EQ(axis_of(parse(line_chart(labels("month", 24), s, "trend"))).v0, 0.0);
}

TEST(ReportChart, AnEmptyPeriodIsAGapNotAZero) {
  std::vector<LineSeries> s = {{"Timeliness", series_color(0), {rate(0.9), rate(0.8), Rate{}, rate(0.7), rate(0.9)}, std::nullopt}};
  const std::string svg = line_chart(labels("month", 5), s, "trend");
  const std::vector<Element> elements = parse(svg);
  std::string d;
  for (const Element& e : elements)
    if (e.name == "path") d = e.attributes.at("d");
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 2) << d;
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 2) << d;
  // Before the first data, too.
  s[0].points = {Rate{}, Rate{}, rate(0.5), rate(0.6), Rate{}};
  d.clear();
  for (const Element& e : parse(line_chart(labels("month", 5), s, "trend")))
    if (e.name == "path") d = e.attributes.at("d");
  EXPECT_EQ(d.rfind("M", 0), 0u) << d;
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 1) << d;
  EXPECT_EQ(std::count(d.begin(), d.end(), 'L'), 1) << d;
}

TEST(ReportChart, PeriodLabelsThinOutAndNothingOverlapsAt1To366Periods) {
  for (const auto& [kind, n] : std::vector<std::pair<const char*, size_t>>{
           {"month", 1}, {"month", 12}, {"month", 24}, {"week", 53}, {"day", 366}, {"day", 31}}) {
    SCOPED_TRACE(std::string(kind) + " × " + std::to_string(n));
    const std::vector<std::string> l = labels(kind, n);
    const std::string svg = line_chart(l, three_series(n, 0.296), "trend");
    expect_tidy(svg);
    size_t shown = 0;
    for (const Element& e : parse(svg))
      if (e.name == "text" && e.attributes.count("class") && e.attributes.at("class") == "period") ++shown;
    EXPECT_GE(shown, std::min<size_t>(n, 6));  // thinned, not dropped
    if (n <= 12) { EXPECT_EQ(shown, n); }
  }
}

TEST(ReportChart, TenGroupsWithLongChineseNamesKeepTheirLegendInside) {
  std::vector<LineSeries> s;
  for (size_t i = 0; i < 10; ++i)
    s.push_back({"华东区大客户服务中心第" + std::to_string(i + 1) + "组 / 紧急", series_color(i), {rate(0.2), rate(0.99), Rate{}}, std::nullopt});
  s.front().goal = 0.95;
  expect_tidy(line_chart(labels("month", 3), s, "groups"));
}

TEST(ReportChart, BarsSpanTheirValueOfTheAxisAndLongLabelsAreCutNotClipped) {
  const std::vector<Bar> bars = {{"li", rate(0.296), "of 27 · received 30"},
                                 {"华东区大客户服务中心售后技术支持部第一小组 / important", rate(1.0), "of 12345 · received 12345"},
                                 {"=HYPERLINK(\"x\") <b>", Rate{}, "of 0 · received 3"}};
  const std::string svg = bar_chart(bars, 0.95, "groups");
  expect_tidy(svg);
  const std::vector<Element> elements = parse(svg);
  double x0 = -1, x100 = -1;
  for (const Element& e : elements)
    if (e.attributes.count("class") && e.attributes.at("class") == "axis")
      (e.attributes.at("data-v") == "0" ? x0 : x100) = e.number("x1");
  ASSERT_GT(x100, x0);
  ASSERT_GE(x0, 0);
  std::vector<double> widths;
  for (const Element& e : elements) {
    if (e.name != "rect") continue;
    EXPECT_NEAR(e.number("x"), x0, 0.05);
    widths.push_back(e.number("width"));
  }
  ASSERT_EQ(widths.size(), 3u);
  EXPECT_NEAR(widths[0], 0.296 * (x100 - x0), 0.11);
  EXPECT_NEAR(widths[1], x100 - x0, 0.11);
  EXPECT_EQ(widths[2], 0);
  EXPECT_NE(svg.find("<title>华东区大客户服务中心售后技术支持部第一小组 / important</title>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
}

TEST(ReportChart, TextWidthsCountWideCharactersAsOneEm) {
  EXPECT_DOUBLE_EQ(text_width("ab", 10), 12);
  EXPECT_DOUBLE_EQ(text_width("服务", 10), 20);
  EXPECT_DOUBLE_EQ(text_width("\xE6\x9C", 10), 6);  // a cut sequence counts as one narrow glyph
  EXPECT_EQ(fit_text("服务中心", 10, 31), "服务…");
  EXPECT_EQ(fit_text("li", 10, 31), "li");
}

}  // namespace
}  // namespace crm::detail

// The metric primitives of ProxyStats: histogram buckets (cumulative, le bounds inclusive, sum in
// seconds), labeled counter families and their series cap ("other"), the label value cap, and the
// Prometheus text writer (HELP/TYPE, label escaping, histogram series).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stats/histogram.hpp"
#include "stats/labeled_counters.hpp"
#include "stats/prometheus_text.hpp"

using namespace vep::host;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(Histogram, CountsCumulativelyWithInclusiveUpperBounds) {
    Histogram h({0.01, 0.1, 1});
    h.observe(5ms);
    h.observe(10ms);  // on a bound: counted in that bucket (le)
    h.observe(50ms);
    h.observe(2s);
    const auto s = h.snapshot();
    EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 3, 3, 4}));
    EXPECT_EQ(s.count, 4u);
    EXPECT_NEAR(s.sum_seconds, 2.065, 1e-9);
}

TEST(LabeledCounters, CountsPerSeriesAndFoldsSeriesBeyondTheCapIntoOther) {
    LabeledCounters c({"route", "status"}, 3);
    c.add({"/a", "200"});
    c.add({"/a", "200"}, 2);
    c.add({"/b", "404"});
    c.add({"/c", "500"});  // the cap keeps one series for "other"
    c.add({"/d", "500"});
    EXPECT_EQ(c.value({"/a", "200"}), 3u);
    EXPECT_EQ(c.value({"/b", "404"}), 1u);
    EXPECT_EQ(c.value({"/c", "500"}), 0u);
    EXPECT_EQ(c.value({"other", "other"}), 2u);
    EXPECT_EQ(c.snapshot().size(), 3u);
}

TEST(LabelValues, KeepsTheFirstValuesAndNamesTheRestOther) {
    LabelValues models(2);
    EXPECT_EQ(models.bound("m1"), "m1");
    EXPECT_EQ(models.bound("m2"), "m2");
    EXPECT_EQ(models.bound("m3"), "other");
    EXPECT_EQ(models.bound("m1"), "m1");
}

TEST(PrometheusText, WritesFamiliesEscapedLabelsAndHistograms) {
    PrometheusText out;
    out.counter("vep_x_total", "Things.\nCounted \\ here.", 7);
    LabeledCounters c({"model"}, 10);
    c.add({"a\"b\\c\nd"});
    out.counters("vep_y_total", "Y.", c);
    Histogram h({0.5});
    h.observe(100ms);
    out.family("vep_z_seconds", "Z.", "histogram");
    out.histogram("vep_z_seconds", {{"stream", "true"}}, h.snapshot());
    EXPECT_EQ(out.text(),
              "# HELP vep_x_total Things.\\nCounted \\\\ here.\n"
              "# TYPE vep_x_total counter\n"
              "vep_x_total 7\n"
              "# HELP vep_y_total Y.\n"
              "# TYPE vep_y_total counter\n"
              "vep_y_total{model=\"a\\\"b\\\\c\\nd\"} 1\n"
              "# HELP vep_z_seconds Z.\n"
              "# TYPE vep_z_seconds histogram\n"
              "vep_z_seconds_bucket{stream=\"true\",le=\"0.5\"} 1\n"
              "vep_z_seconds_bucket{stream=\"true\",le=\"+Inf\"} 1\n"
              "vep_z_seconds_sum{stream=\"true\"} 0.1\n"
              "vep_z_seconds_count{stream=\"true\"} 1\n");
}

// See prometheus_text.hpp.
#include "stats/prometheus_text.hpp"

#include <charconv>
#include <cmath>

namespace vep::host {
namespace {

std::string number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (std::isnan(value)) return "NaN";
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, result.ptr);
}

void escape_into(std::string &out, std::string_view value) {
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view help, std::string_view type) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    for (char c : help) {
        if (c == '\\') out_ += "\\\\";
        else if (c == '\n') out_ += "\\n";
        else out_ += c;
    }
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
}

void PrometheusText::series(std::string_view name, const Labels &labels) {
    out_ += name;
    if (labels.empty()) {
        out_ += ' ';
        return;
    }
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out_ += ',';
        out_ += labels[i].first;
        out_ += "=\"";
        escape_into(out_, labels[i].second);
        out_ += '"';
    }
    out_ += "} ";
}

void PrometheusText::sample(std::string_view name, const Labels &labels, uint64_t value) {
    series(name, labels);
    out_ += std::to_string(value);
    out_ += '\n';
}

void PrometheusText::sample(std::string_view name, const Labels &labels, double value) {
    series(name, labels);
    out_ += number(value);
    out_ += '\n';
}

void PrometheusText::counter(std::string_view name, std::string_view help, uint64_t value) {
    family(name, help, "counter");
    sample(name, {}, value);
}

void PrometheusText::gauge(std::string_view name, std::string_view help, double value) {
    family(name, help, "gauge");
    sample(name, {}, value);
}

void PrometheusText::counters(std::string_view name, std::string_view help, const LabeledCounters &counters) {
    family(name, help, "counter");
    const auto &names = counters.label_names();
    for (const auto &[values, count] : counters.snapshot()) {
        Labels labels;
        for (size_t i = 0; i < names.size(); ++i) labels.emplace_back(names[i], values[i]);
        sample(name, labels, count);
    }
}

void PrometheusText::histogram(std::string_view name, const Labels &labels, const Histogram::Snapshot &snapshot) {
    const std::string base(name);
    for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
        Labels with_le = labels;
        with_le.emplace_back("le", i < snapshot.bounds.size() ? number(snapshot.bounds[i]) : "+Inf");
        sample(base + "_bucket", with_le, snapshot.cumulative[i]);
    }
    sample(base + "_sum", labels, snapshot.sum_seconds);
    sample(base + "_count", labels, snapshot.count);
}

}  // namespace vep::host

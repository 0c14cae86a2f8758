// See load_options.hpp.
#include "load_options.hpp"

#include <unistd.h>

#include <climits>
#include <stdexcept>

namespace vep::bench {
namespace {

std::string executable_dir() {
    char path[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    std::string p(path, static_cast<size_t>(n));
    return p.substr(0, p.rfind('/'));
}

long to_number(const std::string &flag, const std::string &value, long min, long max) {
    size_t used = 0;
    long v = 0;
    try {
        v = std::stol(value, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used != value.size() || v < min || v > max)
        throw std::invalid_argument(flag + ": expected an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                                    ", got \"" + value + "\"");
    return v;
}

}  // namespace

const char *load_usage() {
    return "usage: bench_load [--mode both|proxy|direct] [--streams N] [--total N] [--chunks C]\n"
           "                  [--chunk-bytes B] [--interval-ms I] [--messages M] [--ramp-ms R]\n"
           "                  [--soak-seconds S] [--ecdh-iterations K] [--ephemeral-key-per field|request]\n"
           "                  [--model ID] [--proxy-bin PATH] [--sim-bin PATH] [--plugin-dir DIR] [--label TEXT]\n"
           "                  [--scrape-metrics-ms MS] [--sim-latency-ms MS] [--direct-keep-alive on|off]\n"
           "                  [--proxy-keep-alive on|off] [--upstream-tls DIR]\n";
}

LoadOptions parse_load_options(const std::vector<std::string> &args) {
    LoadOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i], value;
        if (const size_t eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else {
            if (i + 1 >= args.size()) throw std::invalid_argument(flag + ": missing value");
            value = args[++i];
        }
        if (flag == "--mode") {
            if (value != "both" && value != "proxy" && value != "direct")
                throw std::invalid_argument("--mode: expected both, proxy or direct");
            o.mode = value;
        } else if (flag == "--streams") o.streams = static_cast<size_t>(to_number(flag, value, 1, 4000));
        else if (flag == "--total") o.total = static_cast<size_t>(to_number(flag, value, 0, 10000000));
        else if (flag == "--chunks") o.chunks = static_cast<int>(to_number(flag, value, 1, 100000));
        else if (flag == "--chunk-bytes") o.chunk_bytes = static_cast<int>(to_number(flag, value, 1, 65536));
        else if (flag == "--interval-ms") o.interval_ms = static_cast<int>(to_number(flag, value, 0, 10000));
        else if (flag == "--messages") o.messages = static_cast<int>(to_number(flag, value, 1, 1000));
        else if (flag == "--ramp-ms") o.ramp_ms = static_cast<int>(to_number(flag, value, 0, 600000));
        else if (flag == "--soak-seconds") o.soak_seconds = static_cast<int>(to_number(flag, value, 0, 86400));
        else if (flag == "--ecdh-iterations") o.ecdh_iterations = static_cast<int>(to_number(flag, value, 100, 10000000));
        else if (flag == "--ephemeral-key-per") {
            if (value != "field" && value != "request")
                throw std::invalid_argument("--ephemeral-key-per: expected field or request");
            o.ephemeral_key_per = value;
        } else if (flag == "--model") o.model = value;
        else if (flag == "--proxy-bin") o.proxy_bin = value;
        else if (flag == "--sim-bin") o.sim_bin = value;
        else if (flag == "--plugin-dir") o.plugin_dir = value;
        else if (flag == "--label") o.label = value;
        else if (flag == "--scrape-metrics-ms") o.scrape_metrics_ms = static_cast<int>(to_number(flag, value, 0, 600000));
        else if (flag == "--sim-latency-ms") o.sim_latency_ms = static_cast<int>(to_number(flag, value, 0, 10000));
        else if (flag == "--direct-keep-alive" || flag == "--proxy-keep-alive") {
            if (value != "on" && value != "off") throw std::invalid_argument(flag + ": expected on or off");
            (flag == "--direct-keep-alive" ? o.direct_keep_alive : o.proxy_keep_alive) = value == "on";
        } else if (flag == "--upstream-tls") o.upstream_tls_dir = value;
        else throw std::invalid_argument("unknown flag " + flag);
    }
    if (!o.upstream_tls_dir.empty() && o.mode != "proxy")
        throw std::invalid_argument("--upstream-tls needs --mode proxy (the direct client speaks plain HTTP)");
    if (o.total != 0 && o.total < o.streams) throw std::invalid_argument("--total must be 0 or at least --streams");
    const std::string dir = executable_dir();
    if (o.proxy_bin.empty()) o.proxy_bin = dir + "/venice-e2ee-proxy";
    if (o.sim_bin.empty()) o.sim_bin = dir + "/venice-sim";
    if (o.plugin_dir.empty()) o.plugin_dir = dir + "/../lib/venice-e2ee-proxy/plugins";
    return o;
}

}  // namespace vep::bench

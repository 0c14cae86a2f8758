// Type errors, unknown keys, TOML syntax errors and file errors: each names file:line:col and the
// key path, all problems of one load together in file order.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "config_test_support.hpp"

namespace vep::host {
namespace {

using testing::config_data;
using testing::config_error_of;
using testing::text_error;

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

const std::string kServerKeys =
    "host, port, max_threads, max_queued, relay_threads, max_concurrent_streams, receive_timeout, send_timeout, "
    "keep_alive_timeout, shutdown_grace, max_body_bytes, request_read_timeout, max_connections_per_client, "
    "cors_origins, allow_unauthenticated, tls_cert, tls_key, tls_client_ca";

TEST(LoaderErrors, EveryTypeErrorNamesItsLineAndColumn) {
    const std::string file = config_data("type_errors.toml");
    const std::string message = config_error_of([&] { load_config_file(file, {}); });
    const std::vector<std::string> expected = {
        file + ":3:8: server.host: expected a string, got integer",
        file + ":4:8: server.port: expected an integer in 0..65535, got string",
        file + ":5:15: server.max_threads: expected an integer in 0..4294967295, got -1",
        file + ":6:18: server.max_body_bytes: expected an integer in 0..18446744073709551615, got float",
        file + ":7:19: server.receive_timeout: expected a duration string such as \"30s\", got integer (a bare "
               "number has no unit)",
        file + ":8:1: server: unknown key port_number (expected one of: " + kServerKeys + ")",
        file + ":11:9: logging.level: expected a string, got boolean",
        file + ":14:11: venice.api_key: expected a string, got integer",
        file + ":15:19: venice.request_timeout: invalid duration \"30 parsecs\": unknown time unit \"parsecs\", "
               "supported units: ns, us, ms, sec, min, hours, days, weeks, months, years (and few variations)",
        file + ":18:20: keys.client_key_scope: expected one of \"process\", \"session\", got \"thread\"",
        file + ":21:18: session.fallback_scope: expected one of \"agent\", \"request\", \"disabled\", got integer",
        file + ":22:11: session.headers: expected a table, got string",
        file + ":25:26: attestation.verifiers[1]: expected a string, got integer",
        file + ":26:8: attestation.mode: expected one of \"independent\", got \"dependent\"",
        file + ":29:12: tools.formats[0]: missing key \"format\"",
        file + ":29:70: tools.formats[1]: unknown key extra (expected one of: match, format)",
        file + ":32:8: plugins.load: expected an array of strings, got string",
        file + ":35:11: chain.stages[0]: expected a string, got integer",
    };
    EXPECT_EQ(lines_of(message), expected);
}

TEST(LoaderErrors, UnknownKeysAreRejectedInEverySection) {
    const std::string file = config_data("unknown_keys.toml");
    const std::string message = config_error_of([&] { load_config_file(file, {}); });
    const std::vector<std::string> expected = {
        file + ":1:1: unknown key bogus (expected one of: server, limits, auth, logging, admin, venice, keys, session, attestation, "
               "e2ee, tools, plugins, chain, plugin_config)",
        file + ":4:1: server: unknown key prot (expected one of: " + kServerKeys + ")",
        file + ":7:1: session.headers: unknown key incoming (expected one of: incoming_session_id)",
        file + ":10:1: tools: unknown key marker_start (expected one of: enabled, mode, max_retries, "
               "tool_call_max_bytes, tool_call_marker_timeout, validate_json_schema, formats, default_format)",
        file + ":12:2: unknown key wat (expected one of: server, limits, auth, logging, admin, venice, keys, session, attestation, "
               "e2ee, tools, plugins, chain, plugin_config)",
    };
    EXPECT_EQ(lines_of(message), expected);
}

TEST(LoaderErrors, RemovedReferenceKeysAreUnknown) {
    EXPECT_EQ(text_error("[tools]\nmarker_start = \"<tool_call>\"\n"),
              "t.toml:2:1: tools: unknown key marker_start (expected one of: enabled, mode, max_retries, "
              "tool_call_max_bytes, tool_call_marker_timeout, validate_json_schema, formats, default_format)");
}

TEST(LoaderErrors, SectionOfTheWrongShape) {
    EXPECT_EQ(text_error("server = 5\n"), "t.toml:1:10: server: expected a table, got integer");
    EXPECT_EQ(text_error("[[server]]\nport = 1\n"), "t.toml:1:1: server: expected a table, got array");
    EXPECT_EQ(text_error("[plugin_config]\nfoo = 1\n"), "t.toml:2:7: plugin_config.foo: expected a table, got integer");
}

TEST(LoaderErrors, IntegerRanges) {
    EXPECT_EQ(text_error("[server]\nport = 65536\n"), "t.toml:2:8: server.port: expected an integer in 0..65535, got 65536");
    EXPECT_EQ(text_error("[server]\nport = -1\n"), "t.toml:2:8: server.port: expected an integer in 0..65535, got -1");
    EXPECT_EQ(text_error("[tools]\nmax_retries = 4294967296\n"),
              "t.toml:2:15: tools.max_retries: expected an integer in 0..4294967295, got 4294967296");
    EXPECT_EQ(load_config_text("[server]\nport = 65535\n", "t.toml", {}).server.port, 65535);
    EXPECT_EQ(load_config_text("[server]\nport = 0\n", "t.toml", {}).server.port, 0);
}

TEST(LoaderErrors, DurationsMustBeStrings) {
    EXPECT_EQ(text_error("[session]\nidle_ttl = 600\n"),
              "t.toml:2:12: session.idle_ttl: expected a duration string such as \"30s\", got integer (a bare number "
              "has no unit)");
    EXPECT_EQ(text_error("[session]\nidle_ttl = 1.5\n"),
              "t.toml:2:12: session.idle_ttl: expected a duration string such as \"30s\", got float");
    EXPECT_EQ(text_error("[session]\nidle_ttl = \"600\"\n"),
              "t.toml:2:12: session.idle_ttl: invalid duration \"600\": time unit needed, for example 600s or 600ms");
}

TEST(LoaderErrors, DurationsParse) {
    const Config c = load_config_text(
        "[session]\nidle_ttl = \"1h 30m\"\nmax_ttl = \"2h\"\n[server]\nreceive_timeout = \"500ms\"\n", "t.toml", {});
    EXPECT_EQ(c.session.idle_ttl, std::chrono::minutes(90));
    EXPECT_EQ(c.session.max_ttl, std::chrono::hours(2));
    EXPECT_EQ(c.server.receive_timeout, std::chrono::milliseconds(500));
}

TEST(LoaderErrors, InvalidTomlNamesThePosition) {
    EXPECT_EQ(text_error("[server\nport = 1\n"),
              "t.toml:1:8: invalid TOML: Error while parsing table header: expected ']', saw '\\n'");
    EXPECT_EQ(text_error("[server]\nport = 1\nport = 2\n"),
              "t.toml:3:8: invalid TOML: Error while parsing key-value pair: cannot redefine existing integer 'port'");
}

TEST(LoaderErrors, MissingFileIsAnError) {
    EXPECT_EQ(config_error_of([] { load_config_file("/nonexistent/venice/config.toml", {}); }),
              "/nonexistent/venice/config.toml: config file not found");
    EXPECT_EQ(config_error_of([] { load_config_file("", {}); }), "no config file given");
    const std::string directory = config_data("");
    EXPECT_EQ(config_error_of([&] { load_config_file(directory, {}); }),
              directory + ": is a directory, not a config file");
}

TEST(LoaderErrors, RelativePathIsNotSearchedInParentDirectories) {
    const auto root = std::filesystem::temp_directory_path() / ("vep_config_search_" + std::to_string(::getpid()));
    std::filesystem::create_directories(root / "sub");
    std::ofstream(root / "parent.toml") << "[server]\nport = 1\n";
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(root / "sub");
    const std::string message = config_error_of([] { load_config_file("parent.toml", {}); });
    std::filesystem::current_path(previous);
    std::filesystem::remove_all(root);
    EXPECT_EQ(message, "parent.toml: config file not found");
}

TEST(LoaderErrors, OversizedFileIsRejected) {
    const auto path = std::filesystem::temp_directory_path() / ("vep_config_big_" + std::to_string(::getpid()) + ".toml");
    {
        std::ofstream out(path);
        const std::string comment = "#" + std::string(1023, 'x') + "\n";
        for (size_t i = 0; i <= kMaxConfigFileBytes / comment.size(); ++i) out << comment;
    }
    const std::string message = config_error_of([&] { load_config_file(path.string(), {}); });
    std::filesystem::remove(path);
    EXPECT_EQ(message, path.string() + ": config file is larger than 1048576 bytes");
}

TEST(LoaderErrors, PathAndDirectoryAreRecorded) {
    const std::string file = config_data("full.toml");
    const Config c = load_config_file(file, {});
    EXPECT_EQ(c.path, file);
    EXPECT_EQ(c.directory, std::filesystem::path(file).parent_path().lexically_normal().string());
}

}  // namespace
}  // namespace vep::host

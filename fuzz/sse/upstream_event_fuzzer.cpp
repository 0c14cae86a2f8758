// libFuzzer target: the data of one upstream event, read by the one-pass chunk reader and by the
// JSON-tree rules.
//
// Checks, besides memory safety: whatever read_choice_chunk takes, classify_upstream_json takes
// too and classifies as the same choice (the reader may decline anything, never differ).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "errors/proxy_error.hpp"
#include "sse/choice_chunk_reader.hpp"
#include "sse/upstream_event.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto fast = vep::host::read_choice_chunk(text);
    vep::host::UpstreamEvent tree;
    try {
        tree = vep::host::classify_upstream_json(text);
    } catch (const vep::host::ProxyError &) {
        if (fast) __builtin_trap();
        return 0;
    }
    if (!fast) return 0;
    const auto *choice = std::get_if<vep::host::upstream_event::Choice>(&tree);
    if (choice == nullptr || !(*choice == *fast)) __builtin_trap();
    return 0;
}

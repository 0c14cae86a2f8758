// The common upstream chunk read without building a JSON tree.
//
// Owns: one validating pass over the JSON text of an event that carries exactly one choice, with
// plain strings (ASCII without escapes), no `error` member and no native tool calls — every
// content chunk of a Venice answer. Anything else (and anything malformed) is declined, and the
// caller classifies the event with the JSON tree (classify_upstream_json), whose result and error
// messages are the rules. Where it accepts, it gives what classify_upstream_json gives: first
// member wins on duplicates, identity members of another type are ignored. Called by
// classify_upstream_event once per upstream event; the differential unit tests and the
// upstream_event fuzzer hold the two paths equal.
#pragma once

#include <optional>
#include <string_view>

#include "sse/upstream_event.hpp"

namespace vep::host {

// The event's single choice, or nullopt when this reader declines the text.
std::optional<upstream_event::Choice> read_choice_chunk(std::string_view data);

}  // namespace vep::host
